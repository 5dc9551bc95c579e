import Autodiff
import Foundation

/// One graded part of an exercise, declared beside its check: its points, the handout section a
/// student re-reads when it fails, how its inputs are drawn and how the reported values are judged.
///
/// A probed part is graded in three steps: the judge draws the inputs from a seed chosen at
/// grading time; the exercise's probe program (the only program that runs student code) calls
/// the student's functions on them and reports the values they returned; the judge, which never
/// runs student code, compares those values with what they must be and decides the part. A part
/// that is not probed is decided from the submitted files alone (a long assessment's weights).
public struct Part: Sendable {
    /// Short identifier inside its exercise (`update`); the probe of the same name serves it.
    public let id: String
    /// Points earned when every check of the part holds.
    public let points: Double
    /// The heading of the handout section to re-read when it fails.
    public let section: String
    /// One line saying what the part checks, shown to students.
    public let summary: String
    /// Seconds the probe may run before it is stopped.
    public let seconds: Int
    /// True when a probe runs the student's code; false when the part reads the submitted files only.
    public let probed: Bool
    /// Draws the part's inputs.
    let draw: @Sendable (inout SeededGenerator) throws -> Record
    /// Decides the part from the inputs, the probe's report and the submitted files.
    let decide: @Sendable (_ inputs: Record, _ observed: Record, _ submission: SubmittedFiles) throws -> Judgement

    /// A part whose probe calls the student's code on inputs drawn by `inputs`, judged by `judge`
    /// from those inputs and the values the probe reported.
    public init(
        _ id: String, points: Double, section: String, summary: String, seconds: Int = 60,
        inputs: @escaping @Sendable (inout SeededGenerator) throws -> Record,
        judge: @escaping @Sendable (_ inputs: Record, _ observed: Record) throws -> Judgement
    ) {
        (self.id, self.points, self.section, self.summary, self.seconds) = (id, points, section, summary, seconds)
        probed = true
        draw = inputs
        decide = { inputs, observed, _ in try judge(inputs, observed) }
    }

    /// A part decided from the submitted files alone (no student code runs).
    public init(
        _ id: String, points: Double, section: String, summary: String,
        judge: @escaping @Sendable (_ submission: SubmittedFiles) throws -> Judgement
    ) {
        (self.id, self.points, self.section, self.summary, self.seconds) = (id, points, section, summary, 0)
        probed = false
        draw = { _ in Record() }
        decide = { _, _, submission in try judge(submission) }
    }

    /// The part's inputs for grading seed `seed`: each part draws from its own stream, so adding a
    /// part or reordering them leaves the other parts' inputs as they were.
    public func inputs(seed: UInt64, exercise: String) throws -> Record {
        var generator = SeededGenerator(seed: Self.mix(seed, "\(exercise)/\(id)"))
        return try draw(&generator)
    }

    /// The verdict on `observed` (what the probe reported for `inputs`). A report that says the
    /// student's code threw, or that lacks a value the judge needs, fails with a sentence saying so.
    public func judge(inputs: Record, observed: Record, submission: SubmittedFiles) -> Verdict {
        if case .text(let message)? = observed[ProbeReport.thrownKey] {
            var judgement = Judgement(inputs: "")
            judgement.require(false, "Your code threw an error instead of returning a result: \(message)")
            return judgement.verdict
        }
        do {
            return try decide(inputs, observed, submission).verdict
        } catch {
            var judgement = Judgement(inputs: "")
            judgement.require(false, probed ? "The values your code returned could not be checked: \(error)"
                                            : "The files you handed in could not be graded: \(error)")
            return judgement.verdict
        }
    }

    /// FNV-1a of `label` mixed into `seed`.
    static func mix(_ seed: UInt64, _ label: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return seed ^ hash
    }
}

/// The files a student handed in with an exercise, as a part that reads them sees them: the
/// exercise's `Assessment/` folder (trained weights, metrics, curve), when the grader was given one.
public struct SubmittedFiles: Sendable {
    /// The submitted `Assessment/` folder, or nil.
    public let assessmentFolder: URL?

    /// The files under `assessmentFolder`.
    public init(assessmentFolder: URL?) { self.assessmentFolder = assessmentFolder }
}

/// An exercise's hidden parts and what the grader needs to know about them.
public struct ExerciseParts: Sendable {
    /// The exercise's module name (`GDStep`).
    public let name: String
    /// The handout question it comes from.
    public let question: String
    /// True when its points come on top of the course's full marks.
    public let extraCredit: Bool
    /// Environment variables naming folders the judge needs (Omniglot for re-evaluating weights).
    public let dataFolders: [String]
    /// The parts, in handout order.
    public let parts: [Part]

    /// An exercise of `parts`; ids must be unique and points positive.
    public init(_ name: String, question: String, extraCredit: Bool = false, dataFolders: [String] = [], parts: [Part]) {
        precondition(Set(parts.map(\.id)).count == parts.count, "\(name): two parts share an id")
        precondition(parts.allSatisfy { $0.points > 0 }, "\(name): every part needs positive points")
        (self.name, self.question, self.extraCredit, self.dataFolders, self.parts) = (name, question, extraCredit, dataFolders, parts)
    }

    /// The part named `id`, if any.
    public func part(_ id: String) -> Part? { parts.first { $0.id == id } }

    /// What the grader reads: the exercise and its parts as data.
    public var description: ExerciseDescription {
        ExerciseDescription(name: name, question: question, extraCredit: extraCredit, dataFolders: dataFolders,
                            parts: parts.map { PartDescription(id: $0.id, points: $0.points, section: $0.section,
                                                               summary: $0.summary, probed: $0.probed, seconds: $0.seconds) })
    }
}

/// An exercise's parts as the judge program prints them (`<E>Judge parts`).
public struct ExerciseDescription: Codable, Sendable, Equatable {
    /// The module name.
    public var name: String
    /// The handout question.
    public var question: String
    /// Extra credit or not.
    public var extraCredit: Bool
    /// Environment variables that must name folders.
    public var dataFolders: [String]
    /// The parts.
    public var parts: [PartDescription]
}

/// One part as data.
public struct PartDescription: Codable, Sendable, Equatable {
    /// Its id.
    public var id: String
    /// Its points.
    public var points: Double
    /// The handout section to re-read.
    public var section: String
    /// What it checks.
    public var summary: String
    /// Whether a probe runs student code for it.
    public var probed: Bool
    /// The probe's time limit in seconds.
    public var seconds: Int
}
