import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element read back from rendered SVG: its name, attributes and direct text.
struct ParsedElement {
    let name: String
    let attributes: [String: String]
    var text: String = ""
}

/// Parses SVG with Foundation's XML parser; nil when the document is not well-formed XML.
func parseSVG(_ svg: String) -> [ParsedElement]? {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [ParsedElement] = []
        var open: [Int] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String]) {
            open.append(elements.count)
            elements.append(ParsedElement(name: name, attributes: attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = open.last { elements[last].text += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.elements : nil
}

/// The points of each subpath ("M x y L x y ...") of an SVG path's `d` attribute.
func subpaths(of d: String) -> [[(x: Double, y: Double)]] {
    var result: [[(x: Double, y: Double)]] = []
    let tokens = d.split(separator: " ").map(String.init)
    var index = 0
    while index < tokens.count {
        let token = tokens[index]
        if token.hasPrefix("M") || token.hasPrefix("L") {
            if token.hasPrefix("M") { result.append([]) }
            let x = Double(token.dropFirst()) ?? .nan
            let y = index + 1 < tokens.count ? Double(tokens[index + 1]) ?? .nan : .nan
            result[result.count - 1].append((x, y))
            index += 2
        } else {
            index += 1  // "Z" or "l0" "0"
        }
    }
    return result
}

/// The plot area (the clip rectangle) of a rendered figure.
func plotArea(in elements: [ParsedElement]) -> (left: Double, top: Double, right: Double, bottom: Double)? {
    guard let clip = elements.firstIndex(where: { $0.name == "clipPath" }),
          elements.indices.contains(clip + 1), elements[clip + 1].name == "rect" else { return nil }
    let rect = elements[clip + 1].attributes
    guard let x = Double(rect["x"] ?? ""), let y = Double(rect["y"] ?? ""),
          let w = Double(rect["width"] ?? ""), let h = Double(rect["height"] ?? "") else { return nil }
    return (x, y, x + w, y + h)
}
