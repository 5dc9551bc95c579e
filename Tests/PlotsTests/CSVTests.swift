import Foundation
import Testing
@testable import Plots

@Suite("CSV of the plotted data")
struct CSVTests {
    @Test func oneColumnPerCoordinateOfEachSeries() throws {
        var figure = Figure()
        try figure.addLine(x: [0, 1, 2], y: [0.5, 0.25, 0.125], label: "loss")
        try figure.addScatter(x: [1], y: [3], label: "support")
        try figure.addBand(x: [0, 1], lower: [-1, -2], upper: [1, 2])
        figure.addHorizontalLine(y: 0.8, label: "target")
        let rows = figure.csv().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows[0] == "loss x,loss y,support x,support y,band 3 x,band 3 lower,band 3 upper")
        #expect(rows[1] == "0.0,0.5,1.0,3.0,0.0,-1.0,1.0")
        #expect(rows[2] == "1.0,0.25,,,1.0,-2.0,2.0")
        #expect(rows[3] == "2.0,0.125,,,,,")
        #expect(rows.count == 5 && rows[4].isEmpty)
    }

    @Test func valuesReadBackExactlyAndNonFiniteAreNamed() throws {
        var figure = Figure()
        let values = [0.1, 1.0 / 3.0, 1e-300, .nan, .infinity, -.infinity]
        try figure.addLine(y: values, label: "v")
        let cells = figure.csv().split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] }
        #expect(cells.prefix(3).map { Double(String($0)) } == [0.1, 1.0 / 3.0, 1e-300])
        #expect(cells.suffix(3) == ["nan", "inf", "-inf"])
    }

    @Test func headersWithCommasOrQuotesAreQuoted() throws {
        var figure = Figure()
        try figure.addLine(y: [1], label: "lr=0.1, \"fast\"")
        #expect(figure.csv().hasPrefix("\"lr=0.1, \"\"fast\"\" x\",\"lr=0.1, \"\"fast\"\" y\"\n"))
    }

    @Test func writeCreatesBothFiles() throws {
        var figure = Figure(title: "fit")
        try figure.addLine(y: [1, 2, 3], label: "fit")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plots-test-\(UUID().uuidString)/nested")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        try figure.write(to: directory, name: "fit")
        let svg = try String(contentsOf: directory.appendingPathComponent("fit.svg"), encoding: .utf8)
        let csv = try String(contentsOf: directory.appendingPathComponent("fit.csv"), encoding: .utf8)
        #expect(svg == (try figure.svg()))
        #expect(csv == figure.csv())
    }
}

@Suite("Any floating-point input")
struct AnyPrecisionTests {
    @Test func floatSeriesAreStoredAsDouble() throws {
        var figure = Figure()
        let losses: [Float] = [0.5, 0.25, .nan]
        try figure.addLine(y: losses, label: "loss")
        try figure.addScatter(x: [Float(1)], y: [Float(2)])
        #expect(figure.csv().hasPrefix("loss x,loss y,scatter 2 x,scatter 2 y\n0.0,0.5,1.0,2.0\n1.0,0.25,,\n2.0,nan,,\n"))
        let error = #expect(throws: PlotsError.self) { try figure.addLine(x: [Float(1)], y: losses, label: "f") }
        #expect(error?.description == "series 'f': x has 1 value but y has 3")
    }
}
