import Foundation
import Testing
@testable import Plots

@Suite("Grids of figures and images")
struct GridTests {
    @Test func figureGridPlacesPanelsRowByRow() throws {
        var grid = FigureGrid(columns: 2, title: "Fit after k steps")
        for step in 0..<3 {
            var figure = Figure(title: "after \(step) steps", width: 300, height: 200)
            try figure.addLine(x: [0, 1, 2], y: [0, Double(step), 4])
            try figure.addScatter(x: [1], y: [1], label: "support")
            grid.add(figure)
        }
        let svg = try grid.svg()
        let elements = try #require(parseSVG(svg))
        #expect(elements[0].attributes["width"] == "600")
        #expect(elements[0].attributes["height"] == "434")
        let panels = elements.dropFirst().filter { $0.name == "svg" }
        #expect(panels.map { $0.attributes["x"] ?? "" } == ["0", "300", "0"])
        #expect(panels.map { $0.attributes["y"] ?? "" } == ["34", "34", "234"])
        let clipIDs = elements.filter { $0.name == "clipPath" }.compactMap { $0.attributes["id"] }
        #expect(Set(clipIDs).count == 3)
        let header = try #require(grid.csv().split(separator: "\n").first)
        #expect(header.hasPrefix("1 after 0 steps: line 1 x,1 after 0 steps: line 1 y,1 after 0 steps: support x"))
    }

    @Test func imageGridEmbedsDecodablePNGs() throws {
        var grid = ImageGrid(columns: 2, title: "Support set")
        let ramp = (0..<784).map { Float($0) / 783 }
        try grid.addImage(ramp, width: 28, height: 28, caption: "class <1>")
        try grid.addImage([Double](repeating: 2, count: 784), width: 28, height: 28, caption: "saturated")
        try grid.addImage([Float](repeating: .nan, count: 6), width: 3, height: 2)
        let elements = try #require(parseSVG(try grid.svg()))
        let images = elements.filter { $0.name == "image" }
        #expect(images.count == 3)
        let texts = elements.filter { $0.name == "text" }.map(\.text)
        #expect(texts == ["Support set", "class <1>", "saturated"])

        let prefix = "data:image/png;base64,"
        let href = try #require(images[0].attributes["xlink:href"])
        #expect(href.hasPrefix(prefix))
        let png = try #require(Data(base64Encoded: String(href.dropFirst(prefix.count))))
        let idat = try #require(DecodedPNG([UInt8](png))?.chunks.first { $0.type == "IDAT" }?.data)
        let rows = try #require(DecodedPNG.inflateStored(idat)).bytes
        let firstRow = Array(rows[1..<29])
        #expect(firstRow.first == 0 && rows.last == 255)
        #expect(firstRow == (0..<28).map { UInt8((Double(Float($0) / 783) * 255).rounded()) })

        #expect(grid.images[1].pixels.allSatisfy { $0 == 255 })
        #expect(grid.images[2].pixels.allSatisfy { $0 == 0 })
    }
}
