import Foundation

/// What the test runner reported about one test, read from its JSON event stream
/// (`swift test --event-stream-output-path P --event-stream-version 0`). Used for the visible
/// checks a student runs on their own code; hidden tests never score from it, since code in the
/// tested process can write that stream too.
public struct TestOutcome: Equatable, Sendable {
    /// The test's identifier without its source location, e.g. `GDStepGrading.update()`.
    public var id: String
    /// True when the test started, ended and recorded no issue.
    public var passed: Bool
    /// True when the test started but the stream holds no end for it (a crash or a kill).
    public var unfinished: Bool
    /// The runner's messages about the test's issues (expectation failures, thrown errors).
    public var messages: [String]

    /// Collects an outcome's fields.
    public init(id: String, passed: Bool, unfinished: Bool, messages: [String]) {
        self.id = id
        self.passed = passed
        self.unfinished = unfinished
        self.messages = messages
    }

    /// The function name: `update` for `GDStepGrading.update(steps:)`.
    public var functionName: String {
        let afterModule = id.split(separator: ".", maxSplits: 1).last.map(String.init) ?? id
        return String(afterModule.prefix { $0 != "(" })
    }

    /// The module: `GDStepGrading` for `GDStepGrading.update()`.
    public var module: String { String(id.prefix { $0 != "." }) }
}

/// The parsed event stream of one run.
public struct TestRunReport: Equatable, Sendable {
    /// Every test the runner started, in the order it started them.
    public var outcomes: [TestOutcome]
    /// True when the stream ends with the runner's `runEnded` record (the run was not cut short).
    public var runEnded: Bool

    /// Collects a report's fields.
    public init(outcomes: [TestOutcome], runEnded: Bool) {
        self.outcomes = outcomes
        self.runEnded = runEnded
    }

    /// The outcome of the test whose function is `name` in `module`, if it ran.
    public func outcome(module: String, function name: String) -> TestOutcome? {
        outcomes.first { $0.module == module && $0.functionName == name }
    }

    /// Parses the JSON-lines stream; lines that are not valid records are skipped.
    public static func parse(eventStream text: String) -> TestRunReport {
        var order: [String] = []
        var started = Set<String>(), ended = Set<String>()
        var messages: [String: [String]] = [:]
        var runEnded = false
        for line in text.split(whereSeparator: \.isNewline) {
            guard let data = line.data(using: .utf8),
                  let record = try? JSONDecoder().decode(EventRecord.self, from: data),
                  record.kind == "event", let payload = record.payload else { continue }
            let id = payload.testID.map(stripLocation)
            switch payload.kind {
            case "testStarted":
                if let id, started.insert(id).inserted { order.append(id) }
            case "testEnded":
                if let id { ended.insert(id) }
            case "issueRecorded":
                if let id { messages[id, default: []] += (payload.messages ?? []).map(\.text) }
            case "runEnded":
                runEnded = true
            default:
                break
            }
        }
        let outcomes = order.map { id in
            let finished = ended.contains(id)
            let issues = messages[id] ?? []
            return TestOutcome(id: id, passed: finished && issues.isEmpty, unfinished: !finished, messages: issues)
        }
        return TestRunReport(outcomes: outcomes, runEnded: runEnded)
    }

    /// `Module.test(args:)/File.swift:12:5` → `Module.test(args:)`: ids move when files change.
    static func stripLocation(_ id: String) -> String {
        guard let close = id.lastIndex(of: ")") else { return id }
        return String(id[...close])
    }
}

/// One line of the event stream, decoded only as far as grading needs.
private struct EventRecord: Decodable {
    struct Message: Decodable { var text: String }
    struct Payload: Decodable {
        var kind: String
        var testID: String?
        var messages: [Message]?
    }
    var kind: String
    var payload: Payload?
}
