import Autodiff
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GraphDiagrams
import Testing

/// Bytes from Graphviz are real files of the asked-for format, and rendering is safe in parallel.
@Suite struct RenderTests {
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The width and height in a PNG's IHDR chunk (big-endian at bytes 16 and 20).
    func pngSize(_ data: Data) -> (width: Int, height: Int) {
        let bytes = [UInt8](data)
        let read = { (at: Int) in bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (read(16), read(20))
    }

    func parsesAsXML(_ data: Data) -> Bool { XMLParser(data: data).parse() }

    @Test func svgParsesAsXMLAndHasTheLabels() throws {
        let data = try DiagramPresets.gradOfGrad().renderData(format: .svg)
        #expect(parsesAsXML(data))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<svg"))
        #expect(text.contains("2nd backward"))
    }

    /// The committed figure (made by `workbook graph grad-of-grad --format svg --out ...`) is valid SVG.
    @Test func committedFigureParses() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/grad-of-grad.svg")
        let data = try Data(contentsOf: file)
        #expect(parsesAsXML(data))
        #expect(String(decoding: data, as: UTF8.self).contains("f″"))
    }

    @Test func pngHasSignatureAndRespectsTheSizeBound() throws {
        let options = DiagramOptions(maxPNGPixels: 300, pngDotsPerInch: 72)
        let data = try DiagramPresets.gradOfGrad(options: options).renderData(format: .png)
        #expect(Array(data.prefix(8)) == Self.pngSignature)
        let size = pngSize(data)
        #expect(size.width <= 300 && size.height <= 300)
        #expect(max(size.width, size.height) > 200, "a big layout is scaled to the bound, not far below it")
    }

    @Test func pdfHasSignature() throws {
        let data = try DiagramPresets.adamStep().renderData(format: .pdf)
        #expect(String(decoding: data.prefix(5), as: UTF8.self) == "%PDF-")
    }

    @Test func dotFormatIsTheDotText() throws {
        let picture = DiagramPresets.adamStep()
        #expect(try picture.renderData(format: .dot) == Data(picture.dot().utf8))
    }

    @Test func renderToFileInfersTheFormat() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graph-diagrams-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let x = Tensor([1, 2]).variable(named: "x")
        let loss = (exp(x) * x).sum()
        try diagram(of: loss, label: "loss").render(to: folder.appendingPathComponent("loss.svg").path)
        #expect(parsesAsXML(try Data(contentsOf: folder.appendingPathComponent("loss.svg"))))
        try diagram(of: loss).render(to: folder.appendingPathComponent("loss.bin"), format: .png)
        #expect(Array(try Data(contentsOf: folder.appendingPathComponent("loss.bin")).prefix(8)) == Self.pngSignature)
    }

    /// Sixteen renders from concurrent tasks: the engine's lock keeps libgvc to one caller at a time.
    @Test func parallelRendersAreAllValid() async throws {
        let results = try await withThrowingTaskGroup(of: (Int, Data).self) { group in
            for i in 0..<16 {
                group.addTask {
                    let format: DiagramFormat = i % 2 == 0 ? .svg : .png
                    let options = DiagramOptions(showValues: i % 3 == 0, title: "render \(i)", maxPNGPixels: 400, pngDotsPerInch: 72)
                    return (i, try DiagramPresets.gradOfGrad(options: options).renderData(format: format))
                }
            }
            return try await group.reduce(into: [(Int, Data)]()) { $0.append($1) }
        }
        #expect(results.count == 16)
        for (i, data) in results {
            if i % 2 == 0 {
                #expect(parsesAsXML(data))
                #expect(String(decoding: data, as: UTF8.self).contains("render \(i)"))
            } else {
                #expect(Array(data.prefix(8)) == Self.pngSignature)
            }
        }
    }
}
