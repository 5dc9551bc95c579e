import Foundation

/// Grades the parts of one exercise: for each part, the judge draws the inputs from the grading
/// seed, the probe program runs the student's code on them in the sandbox (a process of its own
/// per part, so a crash costs only that part), and the judge decides from the values reported.
/// Nothing the student's process prints or writes decides a point except the values it
/// reports, and those are only compared with what they must be.
public struct PartRunner: Sendable {
    /// The trusted judges.
    public let judges: Judges
    /// Where probes run.
    public let sandbox: Sandbox
    /// The grading seed.
    public let seed: UInt64
    /// Time and memory limits.
    public let limits: GradingLimits
    /// Path prefixes to take out of anything shown to students (the work copy's root, say).
    public let privatePaths: [String]
    /// Verdicts on handed-in files already made in this run.
    public let verdicts: VerdictCache

    /// A runner with these judges, sandbox, seed and limits.
    public init(judges: Judges, sandbox: Sandbox, seed: UInt64, limits: GradingLimits, privatePaths: [String] = [],
                verdicts: VerdictCache = VerdictCache()) {
        (self.judges, self.sandbox, self.seed, self.limits, self.privatePaths) = (judges, sandbox, seed, limits, privatePaths)
        self.verdicts = verdicts
    }

    /// Grades every part of `exercise` with the probe program `probes` (nil when the exercise did
    /// not build; `buildProblem` then says why) and the submitted `assessment` folder.
    public func grade(_ exercise: GradingManifest.Exercise, probes: URL?, buildProblem: String?, assessment: URL?) throws -> [PartResult] {
        let folder = try Shell.privateFolder(prefix: "grader-parts")
        defer { try? FileManager.default.removeItem(at: folder) }
        var budget = Double(limits.testSeconds)
        var results: [PartResult] = []
        for part in exercise.parts {
            guard part.probed else {
                results.append(try decide(exercise, part, report: nil, assessment: assessment))
                continue
            }
            guard let probes else {
                results.append(PartResult(exercise: exercise.name, part: part, status: .compileError,
                                          problem: "Your code for \(exercise.name) does not compile:\n\(buildProblem ?? "")"))
                continue
            }
            guard budget >= 1 else {
                results.append(PartResult(exercise: exercise.name, part: part, status: .notRun,
                                          problem: "Not run: the earlier parts of \(exercise.name) used up its \(limits.testSeconds) s."))
                continue
            }
            let started = Date()
            results.append(try probe(exercise, part, program: probes, folder: folder, seconds: min(part.seconds, Int(budget)), assessment: assessment))
            budget -= Date().timeIntervalSince(started)
        }
        return results
    }

    /// Runs one probed part: inputs from the judge, the probe in the sandbox, the verdict.
    func probe(_ exercise: GradingManifest.Exercise, _ part: GradingManifest.Part, program: URL, folder: URL,
               seconds: Int, assessment: URL?) throws -> PartResult {
        let inputs = folder.appendingPathComponent("\(part.id).inputs.json")
        let report = folder.appendingPathComponent("\(part.id).report.json")
        let log = folder.appendingPathComponent("\(part.id).log")
        try judges.writeInputs(exercise: exercise.name, part: part.id, seed: seed, to: inputs)
        // The probe's binary and home live outside the grader's private folders, which its user cannot enter.
        let staging = try Shell.privateFolder(prefix: "maml-probe")
        defer { try? FileManager.default.removeItem(at: staging) }
        let run = try sandbox.run(binary: program, arguments: [part.id], inputs: inputs, report: report, log: log, staging: staging,
                                  limits: Sandbox.Limits(seconds: seconds, memoryMegabytes: limits.memoryMegabytes))
        // Nothing of the student's may outlive its part: grading stops rather than go on beside it.
        guard run.leftover == 0 else {
            throw GradingError.commandFailed("\(run.leftover) processes of the student's code in \(exercise.name)/\(part.id) could not be stopped")
        }
        let reported = (try? Data(contentsOf: report)).map { !$0.isEmpty } ?? false
        if run.timedOut {
            return PartResult(exercise: exercise.name, part: part, status: .didNotFinish,
                              problem: "Your code was stopped after \(seconds) s without finishing (an endless loop, or far too much work?)."
                                + outputExcerpt(log))
        }
        guard reported else {
            let location = CrashReport.studentLocation(log: Shell.tail(of: log.path, limit: 60_000), program: program, exercise: exercise.name)
            return PartResult(exercise: exercise.name, part: part, status: .didNotFinish,
                              problem: "Your code ended the program before it could report its results (\(Self.describe(status: run.status)))"
                                + (location.map { ", at \($0)." } ?? ".") + outputExcerpt(log))
        }
        return try decide(exercise, part, report: report, assessment: assessment)
    }

    /// Asks the judge for its verdict and turns it into a result. A judge that stops on what it
    /// was handed (a report of the wrong form, say) fails that part only: the student sees one
    /// sentence, and the judge's own message goes to the grader's standard error for the staff.
    func decide(_ exercise: GradingManifest.Exercise, _ part: GradingManifest.Part, report: URL?, assessment: URL?) throws -> PartResult {
        let verdict: JudgeVerdict
        do {
            let judge = { try judges.verdict(exercise: exercise.name, part: part.id, seed: seed, report: report, assessment: assessment) }
            verdict = part.probed ? try judge()
                : try verdicts.verdict(exercise: exercise.name, part: part.id, seed: seed, folder: assessment, decide: judge)
        } catch {
            FileHandle.standardError.write(Data("grader: the judge of \(exercise.name)/\(part.id) stopped: \(error)\n".utf8))
            let statement = part.probed
                ? "The values your code returned could not be checked: they do not have the form the handout asks for (names, shapes or counts)."
                : "The files you handed in could not be checked: they do not have the form the handout asks for."
            return PartResult(exercise: exercise.name, part: part, status: .failed,
                              failures: [JudgeVerdict.Failure(statement: statement, expected: "values of the form the handout describes",
                                                              actual: "values the checks could not use")])
        }
        let failures = verdict.failures.map { failure in
            JudgeVerdict.Failure(statement: clean(failure.statement), inputs: failure.inputs.map(clean),
                                 expected: failure.expected.map(clean), actual: failure.actual.map(clean))
        }
        var result = PartResult(exercise: exercise.name, part: part, status: verdict.passed ? .passed : .failed, failures: failures)
        result.measurements = verdict.measurements ?? [:]
        return result
    }

    /// How a process ended, in words.
    static func describe(status: Int32) -> String {
        switch status {
        case 0: "it exited normally"
        case 132: "it trapped: a fatalError, a failed precondition or an arithmetic overflow"
        case 134: "it aborted"
        case 137: "it was killed, perhaps for using more than its memory"
        case 139: "it crashed with a segmentation fault (a stack overflow, say)"
        case 153: "it wrote a file larger than allowed"
        case let status where status > 128: "it was ended by signal \(status - 128)"
        default: "it exited with status \(status)"
        }
    }

    /// The lines of the probe's output worth showing: the runtime's fatal-error line first, then
    /// the last lines, with private paths taken off.
    func outputExcerpt(_ log: URL) -> String {
        let text = clean(Shell.tail(of: log.path, limit: 6000))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !CrashReport.isFrameLine($0) }.map(String.init)
        let fatal = lines.filter { $0.contains("Fatal error") || $0.contains("Precondition failed") || $0.contains("Assertion failed") }
        let shown = Array(fatal.prefix(3)) + lines.suffix(12).filter { !fatal.contains($0) }
        let kept = shown.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return kept.isEmpty ? "" : "\nWhat your code printed last:\n" + kept.joined(separator: "\n")
    }

    /// `text` with every private path prefix taken off.
    func clean(_ text: String) -> String {
        privatePaths.reduce(text) { $0.replacingOccurrences(of: $1.hasSuffix("/") ? $1 : $1 + "/", with: "") }
    }
}

/// Limits for grading one exercise.
public struct GradingLimits: Sendable {
    /// Seconds allowed to build one exercise (the first build of a work copy compiles the library).
    public var buildSeconds: Int
    /// Seconds allowed for all the probes of one exercise together.
    public var testSeconds: Int
    /// Address-space limit of each probe process in MiB; nil for none.
    public var memoryMegabytes: Int?

    /// Defaults that fit the handouts' exercises on a busy machine: 15 minutes to build, 5 minutes
    /// and 4 GiB of address space for an exercise's probes.
    public init(buildSeconds: Int = 900, testSeconds: Int = 300, memoryMegabytes: Int? = 4096) {
        (self.buildSeconds, self.testSeconds, self.memoryMegabytes) = (buildSeconds, testSeconds, memoryMegabytes)
    }
}
