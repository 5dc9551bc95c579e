import Foundation

/// Grades a whole class: one submission per subfolder (named by student id) or per `<id>.zip`,
/// several at a time, each in its own private work copy, then rebuilds the class's records
/// (`ClassRecords`: written scores, deadlines, gradebook, Canvas CSV, leaderboard).
///
/// Each student's reports are written to a hidden temporary folder inside `out` and renamed to
/// `out/<id>/` only when complete, so an interrupted run leaves every finished student intact
/// and no half-written one; a later run skips students whose `out/<id>/results.json` exists.
public struct ClassGrader: Sendable {
    /// One student's submission.
    public struct Entry: Equatable, Sendable {
        /// The student id: the folder's name, or the zip's name without `.zip`.
        public var id: String
        /// The folder or zip.
        public var url: URL
    }

    /// What happened to one student in a run.
    public struct Outcome: Equatable, Sendable {
        /// The student id.
        public var id: String
        /// True when an earlier run's results were kept.
        public var skipped: Bool
        /// The score before any late penalty (nil when skipped).
        public var score: Double?
        /// Seconds spent grading (0 when skipped).
        public var seconds: Double
    }

    /// Grades each submission.
    public let grader: SubmissionGrader
    /// Deadline and late policy (nil: no penalties).
    public let config: CourseConfig?
    /// The file of hand-given written scores (nil: `written.csv` in the results folder, if any).
    public var writtenScores: URL? = nil
    /// The Canvas export (nil: an assignment titled like the course, students by SIS Login ID).
    public var canvas: CanvasExport? = nil

    /// A class grader using `grader` and the course settings `config`.
    public init(grader: SubmissionGrader, config: CourseConfig?) {
        self.grader = grader
        self.config = config
    }

    /// Every submission in `folder` (subfolders and `.zip` files, hidden entries and `out` left
    /// out), sorted by id; throws if two share an id or there are none.
    public static func submissions(in folder: URL, excluding out: URL? = nil) throws -> [Entry] {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: folder.path) else {
            throw GradingError.invalidSubmission("cannot list the folder of submissions \(folder.path)")
        }
        var found: [String: Entry] = [:]
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            if let out, url.standardizedFileURL.path == out.standardizedFileURL.path { continue }
            var isFolder: ObjCBool = false
            guard fileManager.fileExists(atPath: url.path, isDirectory: &isFolder) else { continue }
            let id: String
            if isFolder.boolValue { id = name }
            else if url.pathExtension.lowercased() == "zip" { id = url.deletingPathExtension().lastPathComponent }
            else { continue }
            if let other = found[id] {
                throw GradingError.invalidSubmission("student \(id) has two submissions: \(other.url.lastPathComponent) and \(name)")
            }
            found[id] = Entry(id: id, url: url)
        }
        guard !found.isEmpty else { throw GradingError.invalidSubmission("no submission folders or zips in \(folder.path)") }
        return found.values.sorted { $0.id < $1.id }
    }

    /// Grades every submission of `folder` into `out/<id>/` with `jobs` at a time (keeping earlier
    /// results unless `force`), then rebuilds the class's records (`out/gradebook.csv` and the
    /// rest). `times` gives submission times (nil: the files' times); a student missing from it is
    /// an error before anything runs.
    @discardableResult
    public func gradeAll(
        folder: URL, out: URL, jobs: Int = 1, force: Bool = false, times: [String: Date]? = nil,
        progress: @escaping @Sendable (Outcome) -> Void = { _ in }
    ) throws -> Gradebook {
        guard jobs >= 1 else { throw GradingError.invalidSubmission("--jobs must be at least 1, got \(jobs)") }
        let submissions = try Self.submissions(in: folder, excluding: out)
        var submitted: [String: Date] = [:]
        if let times {
            let missing = submissions.map(\.id).filter { times[$0] == nil }
            guard missing.isEmpty else {
                throw GradingError.invalidTimes("no submission time for \(missing.joined(separator: ", "))")
            }
            submitted = times
        } else {
            for submission in submissions { submitted[submission.id] = SubmissionTimes.fileTime(of: submission.url) }
        }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let records = try ClassRecords.load(repository: grader.repository, manifest: grader.manifest, config: config, out: out,
                                            students: submissions.map(\.id), written: writtenScores, canvas: canvas)
        try removeLeftovers(in: out)
        let pending = submissions.filter { submission in
            let done = FileManager.default.fileExists(atPath: out.appendingPathComponent("\(submission.id)/results.json").path)
            if done && !force { progress(Outcome(id: submission.id, skipped: true, score: nil, seconds: 0)) }
            return force || !done
        }
        let queue = WorkQueue(pending)
        let failures = FailureList()
        let group = DispatchGroup()
        for worker in 0..<min(jobs, max(pending.count, 1)) {
            group.enter()
            // Each worker keeps one workspace (work copy and build folder) for all its students, so
            // the library compiles once per worker; every student's files replace the last one's.
            let workspace = (try? Shell.privateFolder(prefix: "grader-worker-\(worker)"))
            let thread = Thread { [self] in
                defer { workspace.map { try? FileManager.default.removeItem(at: $0) } }
                while let submission = queue.next() {
                    do { progress(try grade(submission, into: out, workspace: workspace)) }
                    catch { failures.add("\(submission.id): \(error)") }
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        if let problems = failures.all, !problems.isEmpty {
            throw GradingError.commandFailed("could not grade \(problems.joined(separator: "; "))")
        }
        return try records.rebuild(out: out, students: submissions.map(\.id), times: submitted)
    }

    /// Grades one submission into a hidden folder, then renames it to `out/<id>`.
    func grade(_ submission: Entry, into out: URL, workspace: URL?) throws -> Outcome {
        let fileManager = FileManager.default
        let started = Date()
        let staging = out.appendingPathComponent(".grading-\(submission.id)-\(UUID().uuidString)")
        defer { try? fileManager.removeItem(at: staging) }
        let results = try grader.grade(submission: submission.url, out: staging, workspace: workspace)
        let final = out.appendingPathComponent(submission.id)
        if fileManager.fileExists(atPath: final.path) {
            let replaced = out.appendingPathComponent(".replaced-\(submission.id)-\(UUID().uuidString)")
            try fileManager.moveItem(at: final, to: replaced)
            defer { try? fileManager.removeItem(at: replaced) }
            try fileManager.moveItem(at: staging, to: final)
        } else {
            try fileManager.moveItem(at: staging, to: final)
        }
        return Outcome(id: submission.id, skipped: false, score: results.score, seconds: Date().timeIntervalSince(started))
    }

    /// Deletes the half-written folders an interrupted run left in `out`.
    func removeLeftovers(in out: URL) throws {
        let fileManager = FileManager.default
        for name in try fileManager.contentsOfDirectory(atPath: out.path)
        where name.hasPrefix(".grading-") || name.hasPrefix(".replaced-") {
            try fileManager.removeItem(at: out.appendingPathComponent(name))
        }
    }
}

/// The submissions still to grade, handed out one at a time to the worker threads.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: [ClassGrader.Entry]

    init(_ submissions: [ClassGrader.Entry]) { remaining = submissions.reversed() }

    func next() -> ClassGrader.Entry? { lock.withLock { remaining.popLast() } }
}

/// Problems met by the worker threads, gathered under a lock.
private final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var problems: [String] = []

    func add(_ problem: String) { lock.withLock { problems.append(problem) } }

    var all: [String]? { lock.withLock { problems } }
}
