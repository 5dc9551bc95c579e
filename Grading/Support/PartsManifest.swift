import Foundation

/// The parts of `Grading/manifest.json` the points summary needs: per exercise, each part's
/// test, points and handout section. (The grader reads the full manifest with more checks.)
struct PartsManifest: Decodable {
    struct Part: Decodable {
        var id: String
        var points: Double
        var test: String
        var section: String
        var summary: String
    }
    struct Exercise: Decodable {
        var name: String
        var parts: [Part]
        /// True for an extra-credit exercise, whose points count beyond the regular total.
        var extraCredit: Bool?
    }
    var exercises: [Exercise]

    /// `Grading/manifest.json`, found from this file's place in `Grading/Support/`.
    static var defaultLocation: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("manifest.json")
    }

    /// Reads and decodes the manifest at `url`.
    static func load(from url: URL) throws -> PartsManifest {
        try JSONDecoder().decode(PartsManifest.self, from: Data(contentsOf: url))
    }
}
