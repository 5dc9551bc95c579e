import Autodiff
import Foundation

/// Measured single-core FP32 rates: the ceilings an iteration's arithmetic rate is compared with.
enum PeakFP32 {
    /// GFLOP/s of OpenBLAS's sgemm on two n x n Float matrices (2n³ FLOP), best of `repeats`:
    /// the fastest this core runs the products the kernels call, which is the achievable peak
    /// (its AVX-512 FMA kernels).
    static func sgemmGFLOPS(size n: Int = 1024, repeats: Int = 5) -> Double {
        var generator = SeededGenerator(seed: 1)
        let a = Tensor.randomUniform([n, n], dtype: .float32, generator: &generator)
        let b = Tensor.randomUniform([n, n], dtype: .float32, generator: &generator)
        _ = matmul(a, b)
        let best = (0..<repeats).map { _ in
            let start = Measurement.processCPUSeconds()
            _ = matmul(a, b)
            return Measurement.processCPUSeconds() - start
        }.min()!
        return 2 * pow(Double(n), 3) / best / 1e9
    }

    /// GFLOP/s of six independent chains x ← x · m + a on SIMD8<Float> (one multiplication and
    /// one addition per lane and step), the ceiling of this package's own Swift SIMD kernels,
    /// which are compiled for the baseline instruction set (128-bit vectors, no fused multiply-add).
    static func swiftSIMDGFLOPS(steps: Int = 4_000_000) -> Double {
        typealias Lanes = SIMD8<Float>
        let (m, a) = (Lanes(repeating: 0.999_999), Lanes(repeating: 1e-6))
        var chains = (Lanes(repeating: 1), Lanes(repeating: 2), Lanes(repeating: 3), Lanes(repeating: 4),
                      Lanes(repeating: 5), Lanes(repeating: 6))
        let start = Measurement.processCPUSeconds()
        for _ in 0..<steps {
            chains.0 = chains.0 * m + a
            chains.1 = chains.1 * m + a
            chains.2 = chains.2 * m + a
            chains.3 = chains.3 * m + a
            chains.4 = chains.4 * m + a
            chains.5 = chains.5 * m + a
        }
        let seconds = Measurement.processCPUSeconds() - start
        // Keeps the chains live.
        let total = (chains.0 + chains.1 + chains.2 + chains.3 + chains.4 + chains.5).sum()
        precondition(total.isFinite, "PeakFP32: the chains overflowed")
        return Double(steps) * 6 * 2 * Double(Lanes.scalarCount) / seconds / 1e9
    }
}
