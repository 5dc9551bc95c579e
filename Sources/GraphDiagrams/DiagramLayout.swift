import Foundation

/// Where Graphviz put a diagram's texts, at the diagram's natural size (points, before any
/// scaling to a page or slide), read from its JSON output.
public struct DiagramLayout: Sendable {
    /// One drawn text: a node, cluster, edge or title label line.
    public struct Text: Sendable, Equatable {
        /// The characters.
        public let text: String
        /// The font size in points.
        public let size: Double
        /// The left, bottom, right and top of the text's box, in points (y grows upwards).
        public let minX: Double, minY: Double, maxX: Double, maxY: Double

        /// Whether the two texts' boxes overlap by more than `tolerance` points each way.
        public func overlaps(_ other: Text, tolerance: Double = 0.5) -> Bool {
            minX + tolerance < other.maxX && other.minX + tolerance < maxX
                && minY + tolerance < other.maxY && other.minY + tolerance < maxY
        }
    }

    /// The drawing's width in points.
    public let width: Double
    /// The drawing's height in points.
    public let height: Double
    /// Every text drawn, in drawing order.
    public let texts: [Text]
    /// The centre of each box, by its DOT identifier, in points.
    public let centres: [String: (x: Double, y: Double)]

    /// The smallest font size of any text, in points (0 for a drawing without text).
    public var smallestTextSize: Double { texts.map(\.size).min() ?? 0 }

    /// Reads Graphviz's `json` output: the bounding box and the text operations of every object.
    init(json: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any],
              let box = (root["bb"] as? String)?.split(separator: ",").compactMap({ Double($0) }), box.count == 4 else {
            throw DiagramError.renderingFailed(format: "json", message: "the layout has no bounding box")
        }
        width = box[2] - box[0]
        height = box[3] - box[1]
        var texts: [Text] = []
        var centres: [String: (x: Double, y: Double)] = [:]
        for object in root["objects"] as? [[String: Any]] ?? [] {
            guard let name = object["name"] as? String,
                  let position = (object["pos"] as? String)?.split(separator: ",").compactMap({ Double($0) }), position.count == 2
            else { continue }
            centres[name] = (position[0], position[1])
        }
        self.centres = centres
        let objects = [root] + (root["objects"] as? [[String: Any]] ?? []) + (root["edges"] as? [[String: Any]] ?? [])
        for object in objects {
            let defaultSize = (object["fontsize"] as? String).flatMap(Double.init) ?? 14
            for (key, value) in object where key.hasSuffix("draw_") {
                texts += Self.texts(in: value as? [[String: Any]] ?? [], defaultSize: defaultSize)
            }
        }
        self.texts = texts
    }

    /// The texts of one xdot operation list: each `T` drawn in the latest `F` font.
    static func texts(in operations: [[String: Any]], defaultSize: Double) -> [Text] {
        var size = defaultSize
        var texts: [Text] = []
        for operation in operations {
            switch operation["op"] as? String {
            case "F":
                size = (operation["size"] as? Double) ?? size
            case "T":
                guard let point = operation["pt"] as? [Double], point.count == 2,
                      let width = operation["width"] as? Double, let text = operation["text"] as? String else { continue }
                let left = switch operation["align"] as? String {
                case "l": point[0]
                case "r": point[0] - width
                default: point[0] - width / 2
                }
                // The baseline is at y; descenders reach about a fifth of the size below it.
                texts.append(Text(text: text, size: size, minX: left, minY: point[1] - 0.2 * size,
                                  maxX: left + width, maxY: point[1] + 0.8 * size))
            default:
                continue
            }
        }
        return texts
    }
}
