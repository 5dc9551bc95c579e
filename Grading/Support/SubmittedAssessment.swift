import Foundation
import Testing

/// Why a submitted assessment folder cannot be graded.
public struct AssessmentProblem: Error, CustomStringConvertible {
    /// What is wrong, naming the file.
    public let description: String

    /// A problem with its message.
    public init(_ description: String) { self.description = description }
}

/// The `Assessment/` folder a student hands in with a long assessment, as hidden tests read it:
/// each file, `metrics.json`, and the claimed validation curve. The readers are this module's
/// own, independent of the exercise's, and every failure names the file and the command that
/// writes the folder.
public struct SubmittedAssessment: Sendable {
    /// The folder handed in.
    public let folder: URL
    /// The command that writes it (for example `FOMAMLTrain`), named when a file is missing.
    public let command: String

    /// The folder `folder`, written by `command`.
    public init(folder: URL, writtenBy command: String) {
        self.folder = folder
        self.command = command
    }

    /// A file of the folder, or a problem naming it when it is missing.
    public func file(_ name: String) throws -> URL {
        let file = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw AssessmentProblem("\(name) is missing from \(folder.path): run \(command) and hand in the Assessment folder it writes")
        }
        return file
    }

    /// The JSON object in file `name`.
    public func jsonObject(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: file(name))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw AssessmentProblem("\(name) is not a JSON object")
        }
        return object
    }

    /// The rows of the curve file `name`: (iteration, accuracy), with the header checked.
    public func curve(_ name: String) throws -> [(iteration: Int, accuracy: Double)] {
        let lines = try String(contentsOf: file(name), encoding: .utf8).split(whereSeparator: \.isNewline)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "iteration,accuracy" else {
            throw AssessmentProblem("\(name) must start with the header iteration,accuracy")
        }
        return try lines.dropFirst().map { line in
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, let iteration = Int(fields[0]), let accuracy = Double(fields[1]) else {
                throw AssessmentProblem("\(name): cannot read the line \"\(line)\"")
            }
            return (iteration, accuracy)
        }
    }

    /// The claimed curve's last point, after checking what any claimed curve must satisfy: the
    /// plot is an SVG chart; the curve starts at iteration 0, its iterations increase and its
    /// accuracies lie in 0...1; and `metrics`' final iteration, final accuracy and best accuracy
    /// are the curve's last point and its highest accuracy. Failures are recorded at the caller.
    public func checkedCurve(plot: String, curve curveName: String, metrics metricsName: String,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> (iteration: Int, accuracy: Double) {
        let chart = try String(contentsOf: file(plot), encoding: .utf8)
        #expect(chart.contains("<svg"), "\(plot) is not an SVG chart", sourceLocation: sourceLocation)
        let curve = try self.curve(curveName)
        let last = try #require(curve.last, "\(curveName) has no points", sourceLocation: sourceLocation)
        #expect(curve[0].iteration == 0, "the curve does not start with the initial weights (iteration 0)", sourceLocation: sourceLocation)
        #expect(zip(curve, curve.dropFirst()).allSatisfy { $0.iteration < $1.iteration }, "the iterations of the curve do not increase",
                sourceLocation: sourceLocation)
        #expect(curve.allSatisfy { (0...1).contains($0.accuracy) }, "an accuracy of the curve lies outside 0...1",
                sourceLocation: sourceLocation)
        let metrics = try jsonObject(metricsName)
        #expect(try Self.number(metrics, "finalIteration", in: metricsName) == Double(last.iteration),
                "metrics.json's final iteration is not the curve's last", sourceLocation: sourceLocation)
        #expect(abs(try Self.number(metrics, "finalValidationAccuracy", in: metricsName) - last.accuracy) < 1e-9,
                "metrics.json's final accuracy is not the curve's last", sourceLocation: sourceLocation)
        #expect(abs(try Self.number(metrics, "bestValidationAccuracy", in: metricsName) - curve.map(\.accuracy).max()!) < 1e-9,
                "metrics.json's best accuracy is not the curve's highest", sourceLocation: sourceLocation)
        return last
    }

    /// The number at `key` of a JSON object read from `file`, or a problem naming the key.
    public static func number(_ object: [String: Any], _ key: String, in file: String) throws -> Double {
        guard let value = object[key] as? NSNumber else { throw AssessmentProblem("\(file) reports no number \"\(key)\"") }
        return value.doubleValue
    }
}
