import Foundation
import GraphDiagrams
import Testing

/// Derivative orders stay apart without colour: in a greyscale print their fills differ in
/// lightness, and their borders differ in style or width.
@Suite struct GreyscaleTests {
    /// The CIE L* lightness of "#rrggbb": the grey a greyscale print gives it.
    static func lightness(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16)!
        let channels = [value >> 16, (value >> 8) & 0xff, value & 0xff].map { channel -> Double in
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : Foundation.pow((c + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
        return 116 * Foundation.cbrt(luminance) - 16
    }

    /// How each box of a Graphviz SVG is drawn: the fill, the border's dashes and its width,
    /// read from the first shape after the node's `<title>`.
    static func nodeLooks(svg: String) -> [String: (fill: String, dashes: String, width: String)] {
        var looks: [String: (fill: String, dashes: String, width: String)] = [:]
        for block in svg.components(separatedBy: "<g id=\"node").dropFirst() {
            guard let title = block.firstMatch(of: /<title>([^<]+)<\/title>/)?.1,
                  let shape = block.firstMatch(of: /<(?:path|polygon|ellipse)[^>]*>/)?.0,
                  let fill = shape.firstMatch(of: /fill="(#[0-9a-fA-F]{6})"/)?.1 else { continue }
            let dashes = shape.firstMatch(of: /stroke-dasharray="([^"]+)"/).map { String($0.1) } ?? "solid"
            let width = shape.firstMatch(of: /stroke-width="([^"]+)"/).map { String($0.1) } ?? "1"
            looks[String(title)] = (String(fill), dashes, width)
        }
        return looks
    }

    /// Every pair of orders 0...5 differs by at least 10 L* in fill and in border style or width.
    @Test func orderStylesDifferInLightnessAndBorder() {
        let styles = (0...5).map(OrderStyle.init(order:))
        for i in styles.indices {
            for j in styles.indices where j > i {
                #expect(abs(Self.lightness(styles[i].fill) - Self.lightness(styles[j].fill)) >= 10, "orders \(i) and \(j)")
                #expect(styles[i].borderStyle != styles[j].borderStyle || abs(styles[i].borderWidth - styles[j].borderWidth) >= 1,
                        "orders \(i) and \(j) have the same border")
            }
            #expect(abs(styles[i].fillLightness - Self.lightness(styles[i].fill)) < 0.01)
        }
    }

    /// In a rendered figure with orders 0 to 3, boxes of one order look alike and boxes of two
    /// orders differ in grey level and in border, as drawn by Graphviz.
    @Test func renderedOrdersStayApartInGrey() throws {
        let diagram = try DiagramPresets.expression("x*x*x*x", order: 3)
        let svg = String(decoding: try diagram.renderData(format: .svg), as: UTF8.self)
        let looks = Self.nodeLooks(svg: svg)
        var byOrder: [Int: Set<String>] = [:]
        var greys: [Int: Double] = [:]
        for node in diagram.nodes where node.kind == .operation {
            let look = try #require(looks[node.id], "no shape for \(node.id)")
            let order = try #require(node.derivativeOrder)
            byOrder[order, default: []].insert("\(look.fill) \(look.dashes) \(look.width)")
            greys[order] = Self.lightness(look.fill)
        }
        #expect(byOrder.keys.sorted() == [0, 1, 2, 3])
        #expect(byOrder.values.allSatisfy { $0.count == 1 }, "one look per order: \(byOrder)")
        let orders = byOrder.keys.sorted()
        for i in orders {
            for j in orders where j > i {
                #expect(abs(greys[i]! - greys[j]!) >= 10, "orders \(i) and \(j) print as similar greys")
                let (a, b) = (byOrder[i]!.first!.split(separator: " "), byOrder[j]!.first!.split(separator: " "))
                #expect(a[1] != b[1] || a[2] != b[2], "orders \(i) and \(j) have the same border")
            }
        }
    }
}
