import ArgumentParser
import Foundation
import GradingKit

/// `bench grade`: seconds to grade one full submission, the reference of every exercise, exactly
/// as `grader grade` does it: once cold (the judges and the grading workspace built from nothing)
/// and then warm (both reused, as on a Gradescope image whose `setup.sh` warmed them).
///
/// The course's goals are 120 s cold and 60 s warm on this machine; both figures and the score
/// are printed as one JSON object. OMNIGLOT_ROOT must name the Omniglot images for the image
/// exercises to earn their points. `--gradescope DIR` also times Gradescope's layout: the
/// autograder staged into a private `/autograder` tree (`AUTOGRADER_ROOT`), its `setup.sh` run
/// once (as root: it installs system packages) and its `run_autograder` on the same submission.
struct GradeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Seconds to grade one full submission with `grader grade`, cold and warm (prints JSON).")

    @Option(help: "The course repository (holding Grading/ and Solutions/).")
    var repository = FileManager.default.currentDirectoryPath
    @Option(help: "Warm gradings after the cold one (the median is reported).")
    var warm = 2
    @Option(help: ArgumentHelp("Also time Gradescope's layout, with the Omniglot zips of this folder: setup.sh once, then run_autograder (needs root).",
                               valueName: "omniglot-zips"))
    var gradescope: String?

    func validate() throws {
        guard warm >= 1 else { throw ValidationError("--warm must be 1 or more") }
        for folder in ["Grading", "Solutions"] where !FileManager.default.fileExists(atPath: repositoryURL.appendingPathComponent(folder).path) {
            throw ValidationError("\(repositoryURL.path) has no \(folder)/ folder: --repository must name the course repository")
        }
        if gradescope != nil && geteuid() != 0 {
            throw ValidationError("--gradescope runs the autograder's setup.sh, which installs system packages: run it as root")
        }
    }

    var repositoryURL: URL { URL(fileURLWithPath: repository).standardizedFileURL }

    func run() throws {
        let scratch = try Shell.privateFolder(prefix: "bench-grade")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let exercises = try PackageStructure.load(package: repositoryURL).gradedExercises
        let submission = scratch.appendingPathComponent("submission")
        try Variant.writeReference(of: exercises, repository: repositoryURL, into: submission)
        var gradings: [Grading] = []
        for round in 0...warm {
            note(round == 0 ? "cold grading: judges and workspace built from nothing…" : "warm grading \(round) of \(warm)…")
            let grading = try Grading.time(repository: repositoryURL, submission: submission, scratch: scratch, round: round)
            note(String(format: "  %.1f s (judges %.1f s, grading %.1f s), score %g of %g", grading.total, grading.prepare,
                        grading.grade, grading.score, grading.maxScore))
            gradings.append(grading)
        }
        let cold = gradings[0], warmTotals = gradings.dropFirst().map(\.total)
        if gradings.contains(where: { $0.score < $0.maxScore }) {
            note("warning: the reference did not earn every point (is OMNIGLOT_ROOT set?); the times still count")
        }
        let layout = try gradescope.map { try GradescopeLayout.time(repository: repositoryURL, omniglotZips: URL(fileURLWithPath: $0),
                                                                    maxPoints: cold.maxScore, submission: submission, scratch: scratch,
                                                                    runs: warm, note: note) }
        var fields: [String: Any] = [
            "workload": "grader grade, reference of all \(exercises.count) exercises",
            "cold_seconds": Measurement.rounded(cold.total, 1),
            "cold_judges_seconds": Measurement.rounded(cold.prepare, 1),
            "cold_grading_seconds": Measurement.rounded(cold.grade, 1),
            "warm_seconds": warmTotals.map { Measurement.rounded($0, 1) },
            "warm_seconds_median": Measurement.rounded(Measurement.median(warmTotals), 1),
            "score": gradings.map(\.score), "max_score": cold.maxScore,
            "goal_cold_seconds": 120, "goal_warm_seconds": 60,
        ]
        if let layout { fields.merge(layout.fields) { ours, _ in ours } }
        Measurement.printJSON(fields)
    }

    /// Progress on standard error (the JSON alone goes to standard output).
    func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// One timed `grader grade`: preparing the grader (building or checking the judges) and grading.
struct Grading {
    var prepare: Double
    var grade: Double
    var score: Double
    var maxScore: Double
    var total: Double { prepare + grade }

    /// Grades `submission` with the judges and workspace kept under `scratch`.
    static func time(repository: URL, submission: URL, scratch: URL, round: Int) throws -> Grading {
        let start = Date()
        let grader = try SubmissionGrader.prepare(repository: repository, judgeBuild: scratch.appendingPathComponent("judges"))
        let prepared = Date()
        let results = try grader.grade(submission: submission, out: scratch.appendingPathComponent("out-\(round)"),
                                       workspace: scratch.appendingPathComponent("workspace"))
        return Grading(prepare: prepared.timeIntervalSince(start), grade: Date().timeIntervalSince(prepared),
                       score: results.score, maxScore: grader.manifest.maxPoints)
    }
}

/// Gradescope's layout timed: the autograder staged as Gradescope unpacks it, `setup.sh` once
/// (building the grader, the judges and a workspace warmed on the stubs) and `run_autograder`
/// on one submission, `runs` times.
struct GradescopeLayout {
    var setup: Double
    var runs: [Double]
    var scores: [Double]

    /// The JSON fields of the measurement.
    var fields: [String: Any] {
        ["gradescope_setup_seconds": Measurement.rounded(setup, 1),
         "gradescope_run_seconds": runs.map { Measurement.rounded($0, 1) },
         "gradescope_scores": scores]
    }

    /// Stages the autograder of `repository` (a course worth `maxPoints`) under `scratch`, runs its
    /// `setup.sh`, then its `run_autograder` on `submission` `runs` times, reporting progress through `note`.
    static func time(repository: URL, omniglotZips: URL, maxPoints: Double, submission: URL, scratch: URL, runs: Int,
                     note: (String) -> Void) throws -> GradescopeLayout {
        let root = scratch.appendingPathComponent("autograder")
        let source = root.appendingPathComponent("source"), results = root.appendingPathComponent("results")
        try AutograderPackage.stage(repository: repository, into: source,
                                    settings: .init(swiftVersion: try AutograderPackage.installedSwiftVersion()),
                                    maxPoints: maxPoints, omniglot: omniglotZips)
        try Shell.copy(submission, to: root.appendingPathComponent("submission"))
        let environment = ["AUTOGRADER_ROOT": root.path]
        note("Gradescope layout: setup.sh…")
        let setupStart = Date()
        let setup = try Shell.run(["bash", source.appendingPathComponent("setup.sh").path], in: source, environment: environment, seconds: 3600)
        guard setup.status == 0 else { throw GradingError.commandFailed("setup.sh failed:\n\(Scoring.truncated(setup.output))") }
        var layout = GradescopeLayout(setup: Date().timeIntervalSince(setupStart), runs: [], scores: [])
        note(String(format: "  %.1f s", layout.setup))
        for run in 1...runs {
            note("Gradescope layout: run_autograder \(run) of \(runs)…")
            let start = Date()
            let graded = try Shell.run([source.appendingPathComponent("run_autograder").path], in: source, environment: environment, seconds: 3600)
            layout.runs.append(Date().timeIntervalSince(start))
            let file = results.appendingPathComponent("results.json")
            guard graded.status == 0, let data = try? Data(contentsOf: file),
                  let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let score = (object["score"] as? NSNumber)?.doubleValue else {
                throw GradingError.commandFailed("run_autograder wrote no results.json:\n\(Scoring.truncated(graded.output))")
            }
            layout.scores.append(score)
            note(String(format: "  %.1f s, score %g", layout.runs[layout.runs.count - 1], score))
        }
        return layout
    }
}
