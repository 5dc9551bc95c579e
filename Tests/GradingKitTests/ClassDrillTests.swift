import Foundation
import GradingKit
import Testing

// A whole class graded at once: many copies of the reference among hostile submissions, each
// hostile one breaking a different exercise in a different way. Every student must get exactly
// the points their submission earns. Builds every submission from scratch, so it runs only when
// GRADER_CLASS_SIZE is set (the class size, at least the number of hostile kinds).

private let classSize = ProcessInfo.processInfo.environment["GRADER_CLASS_SIZE"].flatMap { Int($0) }

/// One way of breaking one exercise, and the points the submission keeps.
private struct Hostility {
    var student: String
    var exercise: String
    /// The statement put first in the body of every public function of the exercise, or nil.
    var injected: String?
    /// The files of the exercise the statement goes into (nil: all of them).
    var injectedFiles: [String]? = nil
    /// Extra files (name → contents) added to the exercise folder.
    var extraFiles: [String: String] = [:]
    /// The points the break costs.
    var pointsLost: Double
}

private let hostilities: [Hostility] = [
    // Crashes the test process: the whole exercise (3 points) is lost.
    Hostility(student: "crasher", exercise: "AdamEquivalences", injected: #"fatalError("hostile crash")"#, pointsLost: 3),
    // Never returns: the time limit ends it (2 points lost).
    Hostility(student: "looper", exercise: "ScaleInvariance", injected: "while Int.random(in: 0...1) < 2 {}", pointsLost: 2),
    // Does not compile (2 points lost).
    Hostility(student: "broken", exercise: "SineMAML", extraFiles: ["Broken.swift": "let broken: Int = \"not a number\"\n"], pointsLost: 2),
    // Leaves the test process with status 0 before any test reports (3 points lost).
    Hostility(student: "exiter", exercise: "ReptileAndANIL", injected: "Foundation.exit(0)", pointsLost: 3),
    // Prints megabytes, tries to read the reference and the hidden tests, writes beside the tests,
    // then computes the right answer: it keeps every point.
    Hostility(student: "noisy", exercise: "LearnedInnerRate", injected: """
        print(String(repeating: "✔ Test passed\\n", count: 20_000)); \
        _ = try? String(contentsOfFile: "../Solutions/LearnedInnerRate/UnrolledObjective.swift", encoding: .utf8); \
        _ = try? String(contentsOfFile: "Grading/LearnedInnerRate/LearnedInnerRateGrading.swift", encoding: .utf8); \
        try? "{\\"score\\": 99}".write(toFile: "results.json", atomically: true, encoding: .utf8)
        """, injectedFiles: ["UnrolledObjective.swift"], pointsLost: 0),
]

/// Puts `statement` first in the body of every `public func` of `source` (the first line ending
/// in `{` at or after the signature opens the body), and imports Foundation.
private func injecting(_ statement: String, into source: String) -> String {
    var lines = source.components(separatedBy: "\n")
    var index = 0
    while index < lines.count {
        if lines[index].contains("public func "), let open = lines[index...].firstIndex(where: { $0.hasSuffix("{") }) {
            lines.insert("    \(statement)", at: open + 1)
            index = open + 2
        } else {
            index += 1
        }
    }
    return "import Foundation\n" + lines.joined(separator: "\n")
}

/// A copy of the reference as `<folder>/<hostility.student>/`, broken as `hostility` says.
private func hostileSubmission(_ hostility: Hostility, in folder: URL) throws {
    try referenceSubmission(hostility.student, in: folder)
    let exercise = folder.appendingPathComponent(hostility.student).appendingPathComponent(hostility.exercise)
    if let statement = hostility.injected {
        for file in try FileManager.default.contentsOfDirectory(atPath: exercise.path) where file.hasSuffix(".swift") && (hostility.injectedFiles?.contains(file) ?? true) {
            let url = exercise.appendingPathComponent(file)
            try injecting(statement, into: String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }
    }
    for (name, text) in hostility.extraFiles {
        try text.write(to: exercise.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}

@Test func injectionGoesFirstInEveryPublicFunctionBody() {
    let source = "public func a(\n    x: Int\n) -> Int {\n    x\n}\nfunc b() {}\npublic func c() {\n}"
    #expect(injecting("STOP", into: source) ==
        "import Foundation\npublic func a(\n    x: Int\n) -> Int {\n    STOP\n    x\n}\nfunc b() {}\npublic func c() {\n    STOP\n}")
}

@Test(.enabled(if: classSize != nil))
func aClassOfReferenceAndHostileSubmissionsIsGradedExactly() throws {
    let size = max(classSize ?? 0, hostilities.count + 1)
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-class-drill-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let submissions = root.appendingPathComponent("submissions")
    let fullMarks = try referencePoints()
    var expected: [String: Double] = [:]
    for hostility in hostilities {
        try hostileSubmission(hostility, in: submissions)
        expected[hostility.student] = fullMarks - hostility.pointsLost
    }
    for copy in 1...(size - hostilities.count) {
        let name = String(format: "ref%02d", copy)
        try referenceSubmission(name, in: submissions)
        expected[name] = fullMarks
    }
    let grader = try SubmissionGrader(repository: repository, limits: GradingLimits(testSeconds: 60, memoryMegabytes: 4096))
    try grader.manifest.checkDataFolders()
    let started = Date()
    let book = try ClassGrader(grader: grader, config: nil).gradeAll(folder: submissions, out: root.appendingPathComponent("out"), jobs: 2)
    print("grade-all --jobs 2 of \(size) submissions (\(hostilities.count) hostile): \(Int(Date().timeIntervalSince(started))) s")
    let totals = Dictionary(uniqueKeysWithValues: book.rows.map { ($0.student, $0.total) })
    #expect(totals == expected)
}
