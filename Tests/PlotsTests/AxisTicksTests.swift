import Testing
@testable import Plots

@Suite("Nice ticks")
struct AxisTicksTests {
    @Test func unitRangeStepsByTwoTenths() {
        let ticks = AxisTicks.linear(lower: 0, upper: 1)
        #expect(ticks.major.map(\.value) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(ticks.major.map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(ticks.domain == 0...1)
    }

    @Test func rangeToSevenExtendsToEight() {
        let ticks = AxisTicks.linear(lower: 0, upper: 7)
        #expect(ticks.major.map(\.value) == [0, 2, 4, 6, 8])
        #expect(ticks.domain == 0...8)
    }

    @Test func unevenDataExtendsOutwardToTicks() {
        let ticks = AxisTicks.linear(lower: 0.13, upper: 0.87)
        #expect(ticks.major.map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        let negative = AxisTicks.linear(lower: -3.2, upper: 14)
        #expect(negative.major.map(\.value) == [-5, 0, 5, 10, 15])
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for (low, high) in [(0.0, 0.003), (-250.0, 1900.0), (1e-3, 7.7e-3), (12.0, 13.0), (0.0, 42_000.0)] {
            let values = AxisTicks.linear(lower: low, upper: high).major.map(\.value)
            let step = values[1] - values[0]
            let exponent = (step.magnitude).exponentBase10
            let mantissa = step / pow10(exponent)
            #expect([1.0, 2, 5].contains { abs($0 - mantissa) < 1e-9 }, "step \(step) for \(low)...\(high)")
            #expect(values.first! <= low && values.last! >= high)
            #expect((4...11).contains(values.count), "\(values.count) ticks for \(low)...\(high)")
        }
    }

    @Test func fixedLimitsKeepOnlyTicksInside() {
        let ticks = AxisTicks.linear(lower: 0.05, upper: 0.95, extend: false)
        #expect(ticks.domain == 0.05...0.95)
        #expect(ticks.major.map(\.label) == ["0.2", "0.4", "0.6", "0.8"])
    }

    @Test func tinyAndHugeValuesUseScientificLabels() {
        #expect(AxisTicks.linear(lower: 0, upper: 4e-6).major.map(\.label) == ["0", "1e-6", "2e-6", "3e-6", "4e-6"])
        #expect(AxisTicks.linear(lower: 0, upper: 3e7).major.map(\.label).last == "3e7")
        #expect(AxisTicks.linear(lower: 0, upper: 15e6).major.map(\.label) == ["0", "5e6", "1e7", "1.5e7"])
    }

    @Test func zeroWidthRangeIsWidened() {
        let ticks = AxisTicks.linear(lower: 3, upper: 3)
        #expect(ticks.domain.lowerBound < 3 && ticks.domain.upperBound > 3)
        let zero = AxisTicks.linear(lower: 0, upper: 0)
        #expect(zero.major.map(\.value) == [-1, -0.5, 0, 0.5, 1])
    }

    @Test func logAxisTicksEveryDecade() {
        let ticks = AxisTicks.log10(lower: 0.003, upper: 45)
        #expect(ticks.domain == 0.001...100)
        #expect(ticks.major.map(\.label) == ["0.001", "0.01", "0.1", "1", "10", "100"])
        #expect(ticks.minor.count == 5 * 8)
        #expect(ticks.minor.contains(0.002) && ticks.minor.contains(90))
    }

    @Test func logAxisOverManyDecadesThinsLabels() {
        let ticks = AxisTicks.log10(lower: 1e-12, upper: 1e6)
        #expect(ticks.major.count <= 10)
        #expect(ticks.major.first?.label == "1e-12" && ticks.major.last?.label == "1e6")
        #expect(ticks.minor.isEmpty)
    }

    @Test func decimalLabelsComeFromIntegers() {
        #expect(DecimalValue.plainLabel(units: 6, exponent: -1) == "0.6")
        #expect(DecimalValue.plainLabel(units: -25, exponent: -3) == "-0.025")
        #expect(DecimalValue.plainLabel(units: 15, exponent: 2) == "1500")
        #expect(DecimalValue.scientificLabel(units: 150, exponent: -9) == "1.5e-7")
        #expect(DecimalValue.value(units: 6, exponent: -1) == 0.6)
    }

    private func pow10(_ exponent: Int) -> Double { DecimalValue.value(units: 1, exponent: exponent) }
}

private extension Double {
    /// floor(log10(self)), computed by comparison so it is exact at powers of ten.
    var exponentBase10: Int {
        var exponent = 0
        var power = 1.0
        while power * 10 <= self * (1 + 1e-12) { power *= 10; exponent += 1 }
        while power > self * (1 + 1e-12) { power /= 10; exponent -= 1 }
        return exponent
    }
}

@Suite("Extreme values")
struct ExtremeValueTests {
    @Test func extremeRangesStillRender() throws {
        for values in [[1e-320, 2e-320], [-1e308, 1e308], [5, 5], [1e15, 1e15 + 1], [-0.0, 0.0]] {
            var figure = Figure()
            try figure.addLine(x: [0, 1], y: values)
            let elements = try #require(parseSVG(try figure.svg()), "values \(values)")
            #expect(elements.contains { $0.name == "path" })
        }
    }

    @Test func ticksOfExtremeRangesAreFiniteAndOrdered() {
        for (low, high) in [(-1e308, 1e308), (1e-320, 2e-320), (1e15, 1e15 + 1)] {
            let values = AxisTicks.linear(lower: low, upper: high).major.map(\.value)
            #expect(values.count >= 2 && values.allSatisfy(\.isFinite), "\(low)...\(high)")
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test func coordinatesAreRoundedToHundredths() {
        #expect(SVGNumber.format(12.5) == "12.5")
        #expect(SVGNumber.format(-3.254) == "-3.25")
        #expect(SVGNumber.format(0.07) == "0.07")
        #expect(SVGNumber.format(-0.004) == "0")
        #expect(SVGNumber.format(1e300) == "10000000")
    }
}
