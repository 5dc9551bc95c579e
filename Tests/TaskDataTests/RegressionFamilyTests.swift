import Autodiff
import Testing
@testable import TaskData

@Suite("Regression task families")
struct RegressionFamilyTests {
    @Test("Batches have shape [T, n, 1] in the requested dtype")
    func batchShapes() {
        var generator = SeededGenerator(seed: 1)
        for dtype in DType.allCases {
            let batch = SineAmplitudePhaseFamily().sampleBatch(tasks: 4, support: 10, query: 7, generator: &generator, dtype: dtype)
            #expect(batch.supportX.shape == [4, 10, 1])
            #expect(batch.supportY.shape == [4, 10, 1])
            #expect(batch.queryX.shape == [4, 7, 1])
            #expect(batch.queryY.shape == [4, 7, 1])
            #expect(batch.supportX.dtype == dtype && batch.queryY.dtype == dtype)
            #expect(batch.tasks.count == 4)
        }
    }

    @Test("Amplitude/phase sines: parameters, inputs and targets in range, y = A sin(x + phase)")
    func amplitudePhaseRanges() {
        var generator = SeededGenerator(seed: 2)
        let batch = SineAmplitudePhaseFamily().sampleBatch(tasks: 50, support: 20, query: 20, generator: &generator)
        for task in batch.tasks {
            guard case .sine(let amplitude, let frequency, let phase) = task else { Issue.record("not a sine: \(task)"); return }
            #expect((0.1...5).contains(amplitude))
            #expect(frequency == 1)
            #expect((0...Double.pi).contains(phase))
        }
        let xs = batch.supportX.scalars, ys = batch.supportY.scalars
        #expect(xs.allSatisfy { (-5...5).contains($0) })
        #expect(xs.min()! < -4 && xs.max()! > 4)
        for t in 0..<50 {
            for i in 0..<20 {
                let x = xs[t * 20 + i]
                #expect(abs(ys[t * 20 + i] - batch.tasks[t](x)) < 1e-12)
                #expect(abs(ys[t * 20 + i]) <= 5)
            }
        }
    }

    @Test("Frequency sines: a in [0.5, 1], x in [-2pi, 2pi], fixed or random phase")
    func frequencyRanges() {
        var generator = SeededGenerator(seed: 3)
        let fixed = SineFrequencyFamily(phase: Double.pi).sampleBatch(tasks: 30, support: 10, query: 10, generator: &generator)
        for task in fixed.tasks {
            guard case .sine(let amplitude, let frequency, let phase) = task else { Issue.record("not a sine: \(task)"); return }
            #expect(amplitude == 1 && phase == Double.pi)
            #expect((0.5...1).contains(frequency))
        }
        #expect(fixed.queryX.scalars.allSatisfy { abs($0) <= 2 * Double.pi })
        #expect(fixed.queryY.scalars.allSatisfy { abs($0) <= 1 })
        let random = SineFrequencyFamily(phase: nil).sampleBatch(tasks: 30, support: 1, query: 1, generator: &generator)
        let phases = random.tasks.compactMap { task -> Double? in
            if case .sine(_, _, let phase) = task { phase } else { nil }
        }
        #expect(phases.allSatisfy { (0...Double.pi).contains($0) })
        #expect(Set(phases).count == 30)
    }

    @Test("Piecewise-constant functions are constant on each [k, k+1), k = -3...2, values in range")
    func piecewiseConstant() {
        var generator = SeededGenerator(seed: 4)
        let family = PiecewiseConstantFamily()
        #expect(family.inputRange == -3...3)
        for _ in 0..<20 {
            let task = family.sampleTask(generator: &generator)
            guard case .piecewiseConstant(let firstBreak, let values) = task else { Issue.record("wrong task kind"); return }
            #expect(firstBreak == -3 && values.count == 6)
            #expect(values.allSatisfy { (-3...3).contains($0) })
            for k in -3...2 {
                let level = task(Double(k))
                #expect(level == values[k + 3])
                for step in 1..<50 { #expect(task(Double(k) + Double(step) / 50 - 1e-9) == level) }
            }
            #expect(task(3) == values[5])
        }
        let batch = family.sampleBatch(tasks: 5, support: 40, query: 10, generator: &generator)
        let xs = batch.supportX.scalars, ys = batch.supportY.scalars
        #expect(xs.allSatisfy { (-3...3).contains($0) })
        for t in 0..<5 { for i in 0..<40 { #expect(ys[t * 40 + i] == batch.tasks[t](xs[t * 40 + i])) } }
    }

    @Test("Noise on piecewise-constant observations has roughly the requested spread")
    func piecewiseNoise() {
        var generator = SeededGenerator(seed: 5)
        let family = PiecewiseConstantFamily(noiseStandardDeviation: 0.1)
        let task = family.sampleTask(generator: &generator)
        let data = family.sampleData(for: task, count: 2000, generator: &generator)
        let residuals = zip(data.x.scalars, data.y.scalars).map { $1 - task($0) }
        let rms = (residuals.map { $0 * $0 }.reduce(0, +) / 2000).squareRoot()
        #expect(abs(rms - 0.1) < 0.01)
    }

    @Test("Same seed gives the same bytes; a different seed gives different data", arguments: [0, 1, 2])
    func determinism(familyIndex: Int) {
        let families: [any TaskFamily] = [PiecewiseConstantFamily(), SineAmplitudePhaseFamily(), SineFrequencyFamily()]
        func draw(_ seed: UInt64) -> [Double] {
            var generator = SeededGenerator(seed: seed)
            let batch = families[familyIndex].sampleBatch(tasks: 3, support: 5, query: 5, generator: &generator, dtype: .float64)
            return batch.supportX.scalars + batch.supportY.scalars + batch.queryX.scalars + batch.queryY.scalars
        }
        #expect(draw(42).map(\.bitPattern) == draw(42).map(\.bitPattern))
        #expect(draw(42) != draw(43))
    }
}
