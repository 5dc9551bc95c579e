import Foundation
import Testing
@testable import Plots

@Suite("Bad input")
struct ErrorTests {
    @Test func lengthMismatchNamesSeriesAndBothLengths() {
        var figure = Figure()
        let error = #expect(throws: PlotsError.self) {
            try figure.addLine(x: [0, 1, 2], y: [0, 1], label: "train loss")
        }
        #expect(error?.description == "series 'train loss': x has 3 values but y has 2")
        #expect(figure.elements.isEmpty)
    }

    @Test func unlabelledSeriesIsNamedByKindAndPosition() throws {
        var figure = Figure()
        try figure.addLine(y: [1, 2])
        let error = #expect(throws: PlotsError.self) {
            try figure.addBand(x: [0, 1], lower: [0, 1], upper: [1])
        }
        #expect(error?.description == "series 'band 2': x has 2 values but upper has 1")
    }

    @Test func emptyFigureIsAnError() {
        let error = #expect(throws: PlotsError.self) { try Figure(title: "loss").svg() }
        #expect(error == .emptyFigure(title: "loss"))
        #expect(error?.description.contains("'loss' has nothing to draw") == true)
        #expect(throws: PlotsError.self) { try FigureGrid(columns: 2).svg() }
        #expect(throws: PlotsError.self) { try ImageGrid(columns: 2).svg() }
    }

    @Test func nonPositiveValueOnLogAxis() throws {
        var figure = Figure()
        figure.xScale = .log10
        try figure.addLine(x: [1, 10, 0, 100], y: [1, 2, 3, 4], label: "lr sweep")
        let error = #expect(throws: PlotsError.self) { try figure.svg() }
        #expect(error == .nonPositiveOnLogAxis(series: "lr sweep", axis: "x", value: 0))
        #expect(error?.description.contains("logarithmic x axis") == true)
    }

    @Test func nanOnLogAxisIsAGapNotAnError() throws {
        var figure = Figure()
        figure.yScale = .log10
        try figure.addLine(y: [1, .nan, 100])
        #expect(parseSVG(try figure.svg()) != nil)
    }

    @Test func invalidLimitsAndStyles() throws {
        var figure = Figure()
        try figure.addLine(y: [1, 2])
        figure.xLimits = 3...3
        #expect(throws: PlotsError.invalidLimits(axis: "x", lower: 3, upper: 3)) { try figure.svg() }
        figure.xLimits = nil
        figure.width = 50
        let sizeError = #expect(throws: PlotsError.self) { try figure.svg() }
        #expect(sizeError?.description == "figure size 50.0 x 400.0 is invalid: it must be finite and at least 120 x 100 pixels")
        figure.width = 640
        figure.title = "crowded"
        figure.height = 100
        figure.xLabel = "x"
        let crowded = #expect(throws: PlotsError.self) { try figure.svg() }
        #expect(crowded?.description.contains("leave no room for the plot") == true)
        #expect(throws: PlotsError.invalidStyle(series: "dots", property: "radius", value: -1)) {
            try figure.addScatter(x: [1], y: [1], label: "dots", radius: -1)
        }
        #expect(throws: PlotsError.invalidStyle(series: "band 2", property: "opacity", value: 2)) {
            try figure.addBand(x: [1], lower: [0], upper: [1], opacity: 2)
        }
    }

    @Test func imagePixelCountMismatch() {
        var grid = ImageGrid(columns: 3)
        let error = #expect(throws: PlotsError.self) {
            try grid.addImage([Float](repeating: 0.5, count: 10), width: 28, height: 28, caption: "digit 3")
        }
        #expect(error?.description == "image 'digit 3': 28 x 28 needs 784 pixels but 10 were given")
    }

    @Test func badFileName() throws {
        var figure = Figure()
        try figure.addLine(y: [1, 2])
        let directory = FileManager.default.temporaryDirectory
        #expect(throws: PlotsError.invalidFileName("a/b")) { try figure.write(to: directory, name: "a/b") }
        #expect(throws: PlotsError.invalidFileName("")) { try figure.write(to: directory, name: "") }
    }
}
