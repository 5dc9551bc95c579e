import Autodiff
import NeuralNetworks
import Testing

@Suite struct InitializerTests {
    /// The sample mean and standard deviation of a tensor's entries.
    func moments(_ t: Tensor) -> (mean: Double, std: Double) {
        let values = t.scalars
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance.squareRoot())
    }

    @Test func everyInitializerGivesTheRequestedShapeAndDType() {
        var generator = SeededGenerator(seed: 1)
        for initializer in [Initializer.gaussian(standardDeviation: 0.01), .uniformFanIn, .glorotUniform, .heNormal, .zeros] {
            for dtype in DType.allCases {
                let t = initializer.tensor([3, 4, 5], fanIn: 3, fanOut: 4, dtype: dtype, generator: &generator)
                #expect(t.shape == [3, 4, 5])
                #expect(t.dtype == dtype)
            }
        }
    }

    @Test func gaussianHasTheGivenStandardDeviation() {
        var generator = SeededGenerator(seed: 2)
        let t = Initializer.gaussian(standardDeviation: 0.01).tensor([100, 100], fanIn: 100, fanOut: 100, generator: &generator)
        let (mean, std) = moments(t)
        #expect(Swift.abs(mean) < 0.0005)
        #expect(Swift.abs(std - 0.01) < 0.0005)
    }

    @Test func uniformInitializersStayInsideTheirBoundsAndFillThem() {
        var generator = SeededGenerator(seed: 3)
        let (fanIn, fanOut) = (50, 30)
        let cases: [(Initializer, Double)] = [
            (.uniformFanIn, 1 / Double(fanIn).squareRoot()),
            (.glorotUniform, (6 / Double(fanIn + fanOut)).squareRoot()),
        ]
        for (initializer, bound) in cases {
            let values = initializer.tensor([fanIn, fanOut * 10], fanIn: fanIn, fanOut: fanOut, generator: &generator).scalars
            #expect(values.allSatisfy { Swift.abs($0) <= bound })
            #expect(values.max()! > 0.95 * bound && values.min()! < -0.95 * bound)
            // U[-a, a] has standard deviation a / √3.
            let std = moments(Tensor(values)).std
            #expect(Swift.abs(std - bound / 3.0.squareRoot()) < 0.03 * bound)
        }
    }

    @Test func heNormalScalesWithFanIn() {
        var generator = SeededGenerator(seed: 4)
        let t = Initializer.heNormal.tensor([200, 100], fanIn: 200, fanOut: 100, generator: &generator)
        #expect(Swift.abs(moments(t).std - (2.0 / 200).squareRoot()) < 0.003)
    }

    @Test func zerosAreZero() {
        var generator = SeededGenerator(seed: 5)
        #expect(Initializer.zeros.tensor([4, 4], fanIn: 4, fanOut: 4, generator: &generator).scalars.allSatisfy { $0 == 0 })
    }

    @Test func theSameSeedGivesTheSameValuesAndAnotherSeedOthers() {
        func draw(_ seed: UInt64) -> [Double] {
            var generator = SeededGenerator(seed: seed)
            return MLP(sizes: [1, 40, 40, 1], activation: .relu).initialize(generator: &generator)
                .tensors.flatMap(\.scalars)
        }
        #expect(draw(42) == draw(42))
        #expect(draw(42) != draw(43))
    }
}
