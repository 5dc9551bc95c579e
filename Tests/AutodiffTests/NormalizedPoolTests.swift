import Testing
@testable import Autodiff

/// Pooling a plane while normalizing it against normalizing it first and pooling the result.
@Suite("2x2 max-pool of a normalized Float plane without storing it")
struct NormalizedPoolTests {
    @Test("the same values and winners as normalizing first, ties and negative scales included",
          arguments: [(6, 20, Float(0.75)), (7, 7, Float(-1.25)), (28, 28, Float(2)), (14, 14, Float(0)), (4, 9, Float(-0.5))])
    func matchesNormalizingFirst(height: Int, width: Int, scale: Float) {
        var generator = SeededGenerator(seed: 4)
        // Values on a coarse grid, so that many windows tie.
        var plane = Tensor.randomUniform([height * width], low: -3, high: 3, dtype: .float32, generator: &generator)
            .scalars.map { Float(($0 * 2).rounded()) }
        let shift: Float = 0.3
        let count = (height / 2) * (width / 2)
        var (values, offsets) = ([Float](repeating: 0, count: count), [Int32](repeating: 0, count: count))
        var (expectedValues, expectedOffsets) = (values, offsets)
        var normalized = plane.map { scale * $0 + shift }
        plane.withUnsafeMutableBufferPointer { source in
            Kernels.poolNormalizedPlane(source.baseAddress!, scale: scale, shift: shift, height: height, width: width,
                                        values: &values, offsets: &offsets)
        }
        normalized.withUnsafeMutableBufferPointer { source in
            Kernels.poolPlane(source.baseAddress!, height: height, width: width, size: 2, values: &expectedValues,
                              offsets: &expectedOffsets)
        }
        #expect(values == expectedValues)
        #expect(offsets == expectedOffsets)
    }
}
