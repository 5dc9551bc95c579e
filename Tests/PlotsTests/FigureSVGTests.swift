import Foundation
import Testing
@testable import Plots

@Suite("Figure SVG")
struct FigureSVGTests {
    /// A figure using every kind of element, for the whole-document checks.
    static func trainingFigure() throws -> Figure {
        var figure = Figure(title: "Validation accuracy", xLabel: "iteration", yLabel: "accuracy")
        let steps = (0..<50).map(Double.init)
        let mean = steps.map { 0.2 + 0.7 * (1 - exp(-$0 / 15)) }
        let color = figure.claimNextColor()
        try figure.addBand(x: steps, lower: mean.map { $0 - 0.05 }, upper: mean.map { $0 + 0.05 }, label: "+/- std", color: color)
        try figure.addLine(x: steps, y: mean, label: "mean", color: color)
        try figure.addScatter(x: [5, 25, 45], y: [0.3, 0.7, 0.85], label: "checkpoints")
        figure.addHorizontalLine(y: 0.8, label: "80%")
        figure.addVerticalLine(x: 20, label: "lr drop")
        return figure
    }

    @Test func documentIsWellFormedSVG() throws {
        let svg = try Self.trainingFigure().svg()
        let elements = try #require(parseSVG(svg))
        let root = try #require(elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["version"] == "1.1")
        #expect(root.attributes["width"] == "640" && root.attributes["height"] == "400")
        let texts = elements.filter { $0.name == "text" }.map(\.text)
        for expected in ["Validation accuracy", "iteration", "accuracy", "mean", "+/- std", "checkpoints", "80%", "lr drop", "0.8"] {
            #expect(texts.contains(expected), "missing text \(expected)")
        }
        let circles = elements.filter { $0.name == "circle" }
        #expect(circles.count == 3 + 1)  // three points and the legend swatch
        let dotColour = elements.first { $0.name == "g" && $0.attributes["fill"] != nil }?.attributes["fill"]
        #expect(dotColour == PlotColor.palette[1].hex, "the colour shared by band and line is used up")
    }

    @Test func linePointsMapIntoThePlotArea() throws {
        var figure = Figure()
        try figure.addLine(x: [0, 2.5, 10], y: [0, 0.5, 1])
        let elements = try #require(parseSVG(try figure.svg()))
        let area = try #require(plotArea(in: elements))
        let path = try #require(elements.first { $0.name == "path" }?.attributes["d"])
        let points = try #require(subpaths(of: path).first)
        #expect(points.count == 3)
        // The axes span exactly 0...10 and 0...1, so the ends sit on opposite corners.
        #expect(abs(points[0].x - area.left) < 0.01 && abs(points[0].y - area.bottom) < 0.01)
        #expect(abs(points[2].x - area.right) < 0.01 && abs(points[2].y - area.top) < 0.01)
        let expectedMiddleX = area.left + 0.25 * (area.right - area.left)
        let expectedMiddleY = (area.top + area.bottom) / 2
        #expect(abs(points[1].x - expectedMiddleX) < 0.01 && abs(points[1].y - expectedMiddleY) < 0.01)
    }

    @Test func logAxisPlacesDecadesEvenly() throws {
        var figure = Figure()
        figure.yScale = .log10
        try figure.addLine(x: [0, 1, 2], y: [1, 10, 100])
        let elements = try #require(parseSVG(try figure.svg()))
        let path = try #require(elements.first { $0.name == "path" }?.attributes["d"])
        let ys = try #require(subpaths(of: path).first).map(\.y)
        #expect(abs((ys[0] - ys[1]) - (ys[1] - ys[2])) < 0.02)
        #expect(ys[0] > ys[1])
        let labels = elements.filter { $0.name == "text" }.map(\.text)
        #expect(labels.contains("1") && labels.contains("10") && labels.contains("100"))
    }

    @Test func textIsEscaped() throws {
        var figure = Figure(title: "a < b & c > d \"q\"", xLabel: "x's")
        try figure.addLine(x: [0, 1], y: [0, 1], label: "<loss> & co")
        let svg = try figure.svg()
        #expect(svg.contains("a &lt; b &amp; c &gt; d &quot;q&quot;"))
        #expect(svg.contains("&lt;loss&gt; &amp; co"))
        #expect(!svg.contains("<loss>"))
        let texts = try #require(parseSVG(svg)).filter { $0.name == "text" }.map(\.text)
        #expect(texts.contains("a < b & c > d \"q\""))
        #expect(texts.contains("<loss> & co"))
        #expect(texts.contains("x's"))
    }

    @Test func controlCharactersAreDropped() throws {
        var figure = Figure(title: "bell\u{07}here")
        try figure.addLine(y: [1, 2])
        #expect(parseSVG(try figure.svg()) != nil)
        #expect(try figure.svg().contains("bellhere"))
    }

    @Test func outputIsDeterministic() throws {
        let first = try Self.trainingFigure().svg()
        let second = try Self.trainingFigure().svg()
        #expect(first == second)
        #expect(Array(first.utf8) == Array(second.utf8))
        #expect(first.range(of: "[0-9]e[-+]?[0-9]", options: .regularExpression) == nil, "numbers are written in fixed notation")
    }

    @Test func notANumberBreaksALineIntoTwoPieces() throws {
        var figure = Figure()
        try figure.addLine(x: [0, 1, 2, 3, 4, 5], y: [1, 2, .nan, 4, 5, 6])
        let elements = try #require(parseSVG(try figure.svg()))
        let path = try #require(elements.first { $0.name == "path" }?.attributes["d"])
        let pieces = subpaths(of: path)
        #expect(pieces.count == 2)
        #expect(pieces.map(\.count) == [2, 3])
    }

    @Test func infinityAlsoBreaksALineAndIsLeftOutOfTheRange() throws {
        var figure = Figure()
        try figure.addLine(x: [0, 1, 2, 3], y: [0, .infinity, 1, 1])
        let svg = try figure.svg()
        let elements = try #require(parseSVG(svg))
        let path = try #require(elements.first { $0.name == "path" }?.attributes["d"])
        #expect(subpaths(of: path).map(\.count) == [1, 2])
        #expect(path.contains("l0 0"), "a lone point is kept as a dot")
    }

    @Test func bandIsAClosedOutline() throws {
        var figure = Figure()
        try figure.addBand(x: [0, 1, 2], lower: [0, 1, 2], upper: [1, 2, 3])
        let elements = try #require(parseSVG(try figure.svg()))
        let band = try #require(elements.first { $0.name == "path" })
        #expect(band.attributes["fill-opacity"] == "0.2")
        let outline = try #require(subpaths(of: band.attributes["d"] ?? "").first)
        #expect(outline.count == 6)
        #expect(band.attributes["d"]?.hasSuffix("Z") == true)
    }

    @Test func unnamedSeriesTakeSuccessivePaletteColours() throws {
        var figure = Figure()
        try figure.addLine(y: [1, 2])
        try figure.addLine(y: [2, 3])
        let strokes = try #require(parseSVG(try figure.svg())).filter { $0.name == "path" }.compactMap { $0.attributes["stroke"] }
        #expect(strokes == [PlotColor.palette[0].hex, PlotColor.palette[1].hex])
    }

    @Test func legendPlacementMovesTheLegend() throws {
        func legendX(_ placement: LegendPlacement) throws -> Double? {
            var figure = Figure()
            try figure.addLine(y: [1, 2], label: "loss")
            figure.legendPlacement = placement
            let elements = try #require(parseSVG(try figure.svg()))
            return elements.first { $0.name == "rect" && $0.attributes["fill-opacity"] == "0.85" }
                .flatMap { Double($0.attributes["x"] ?? "") }
        }
        let left = try #require(try legendX(.topLeft))
        let right = try #require(try legendX(.topRight))
        #expect(left < right)
        #expect(try legendX(.hidden) == nil)
    }

    @Test func fixedLimitsClipTheSeries() throws {
        var figure = Figure()
        figure.yLimits = 0...1
        try figure.addLine(x: [0, 1], y: [-5, 5])
        let elements = try #require(parseSVG(try figure.svg()))
        let clipped = elements.first { $0.name == "g" && $0.attributes["clip-path"] != nil }
        #expect(clipped?.attributes["clip-path"] == "url(#f0-plot)")
        let yLabels = elements.filter { $0.name == "text" && $0.attributes["text-anchor"] == "end" }.map(\.text)
        #expect(yLabels == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    }
}

@Suite("Figure layout")
struct FigureLayoutTests {
    @Test func outsideLegendNarrowsThePlot() throws {
        func plotRight(_ placement: LegendPlacement) throws -> Double {
            var figure = Figure()
            try figure.addLine(y: [1, 2], label: "a rather long label")
            figure.legendPlacement = placement
            let elements = try #require(parseSVG(try figure.svg()))
            return try #require(plotArea(in: elements)).right
        }
        let inside = try plotRight(.topRight)
        let outside = try plotRight(.outsideRight)
        #expect(outside < inside - 100)
    }

    @Test func logLimitsMustBePositive() throws {
        var figure = Figure()
        try figure.addLine(y: [1, 2])
        figure.yScale = .log10
        figure.yLimits = 0...10
        #expect(throws: PlotsError.invalidLimits(axis: "y", lower: 0, upper: 10)) { try figure.svg() }
        figure.yLimits = 0.5...20
        let labels = try #require(parseSVG(try figure.svg())).filter { $0.name == "text" && $0.attributes["text-anchor"] == "end" }
        #expect(labels.map(\.text) == ["1", "10"])
    }
}
