import Foundation

extension ClassGrader {
    /// Regrades part of a class already graded into `out`: the students `students` (nil: all of
    /// the folder), and of them the exercises `exercises` only (nil: all). Each student is regraded
    /// with the seed recorded in their `results.json`, so the inputs are the same as before; with
    /// `exercises`, the new parts replace those exercises' parts in the existing results and
    /// feedback, and everything else is kept. A student without results yet is graded in full.
    /// Every other student's files are left as they were, and the class's records are rebuilt.
    @discardableResult
    public func regrade(
        folder: URL, out: URL, students: [String]?, exercises: [String]?, jobs: Int = 1, times: [String: Date]? = nil,
        progress: @escaping @Sendable (Outcome) -> Void = { _ in }
    ) throws -> Gradebook {
        guard jobs >= 1 else { throw GradingError.invalidSubmission("--jobs must be at least 1, got \(jobs)") }
        let submissions = try Self.submissions(in: folder, excluding: out)
        let ids = submissions.map(\.id)
        if let unknown = students?.first(where: { !ids.contains($0) }) {
            throw GradingError.invalidSubmission("there is no submission for student \(unknown) in \(folder.path)")
        }
        let names = grader.manifest.exercises.map(\.name)
        if let unknown = exercises?.first(where: { !names.contains($0) }) { throw GradingError.unknownExercise(unknown, known: names) }
        let submitted = try submissionTimes(submissions, given: times)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let records = try ClassRecords.load(repository: grader.repository, manifest: grader.manifest, config: config, out: out,
                                            students: ids, written: writtenScores, canvas: canvas)
        try removeLeftovers(in: out)
        let selected = submissions.filter { students?.contains($0.id) ?? true }
        let queue = RegradeQueue(selected)
        let group = DispatchGroup()
        for worker in 0..<min(jobs, max(selected.count, 1)) {
            group.enter()
            let workspace = try? Shell.privateFolder(prefix: "grader-regrade-\(worker)")
            let thread = Thread { [self] in
                defer { workspace.map { try? FileManager.default.removeItem(at: $0) }; group.leave() }
                while let submission = queue.next() {
                    do { progress(try regradeOne(submission, into: out, exercises: exercises, workspace: workspace)) }
                    catch { queue.fail("\(submission.id): \(error)") }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        if !queue.failures.isEmpty { throw GradingError.commandFailed("could not regrade \(queue.failures.joined(separator: "; "))") }
        return try records.rebuild(out: out, students: ids, times: submitted)
    }

    /// The submission times: `given` (which must cover every student) or the files' times.
    func submissionTimes(_ submissions: [Entry], given: [String: Date]?) throws -> [String: Date] {
        guard let given else {
            var times: [String: Date] = [:]
            for submission in submissions { times[submission.id] = SubmissionTimes.fileTime(of: submission.url) }
            return times
        }
        let missing = submissions.map(\.id).filter { given[$0] == nil }
        guard missing.isEmpty else { throw GradingError.invalidTimes("no submission time for \(missing.joined(separator: ", "))") }
        return given
    }

    /// Regrades one student with the seed of their results, merging when only some exercises are regraded.
    func regradeOne(_ submission: Entry, into out: URL, exercises: [String]?, workspace: URL?) throws -> Outcome {
        let fileManager = FileManager.default
        let started = Date()
        let final = out.appendingPathComponent(submission.id)
        let previous = fileManager.contents(atPath: final.appendingPathComponent("results.json").path)
            .flatMap { try? JSONDecoder().decode(GradescopeResults.self, from: $0) }
        let seed = previous?.extra_data.flatMap { UInt64($0.seed) }
        let staging = out.appendingPathComponent(".grading-\(submission.id)-\(UUID().uuidString)")
        defer { try? fileManager.removeItem(at: staging) }
        let partial = previous != nil && seed != nil ? exercises : nil
        var results = try grader.grade(submission: submission.url, out: staging, seed: seed, workspace: workspace, only: partial)
        if let partial, let previous {
            let merged = previous.merging(results, exercises: partial, manifest: grader.manifest)
            let oldFeedback = (try? String(contentsOf: final.appendingPathComponent("feedback.md"), encoding: .utf8)) ?? ""
            let newFeedback = (try? String(contentsOf: staging.appendingPathComponent("feedback.md"), encoding: .utf8)) ?? ""
            let feedback = Feedback.merging(oldFeedback, newFeedback, exercises: partial, results: merged, manifest: grader.manifest)
            try ReportFiles.write([("feedback.md", Data(feedback.utf8)), ("results.json", try merged.encoded())], into: staging)
            results = merged
        }
        let replaced = out.appendingPathComponent(".replaced-\(submission.id)-\(UUID().uuidString)")
        if fileManager.fileExists(atPath: final.path) { try fileManager.moveItem(at: final, to: replaced) }
        defer { try? fileManager.removeItem(at: replaced) }
        try fileManager.moveItem(at: staging, to: final)
        return Outcome(id: submission.id, skipped: false, score: results.score, seconds: Date().timeIntervalSince(started))
    }
}

/// The students to regrade, handed out one at a time, and the problems met.
private final class RegradeQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: [ClassGrader.Entry]
    private var problems: [String] = []

    init(_ submissions: [ClassGrader.Entry]) { remaining = submissions.reversed() }

    func next() -> ClassGrader.Entry? { lock.withLock { remaining.popLast() } }

    func fail(_ problem: String) { lock.withLock { problems.append(problem) } }

    var failures: [String] { lock.withLock { problems } }
}
