import Foundation

/// Gathers the written answers (`ANSWERS.md` of each exercise) for manual grading, each with
/// the reference rubric (`Solutions/<Exercise>/RUBRIC.md`) beside it.
public enum WrittenAnswers {
    /// Markdown with one section per exercise that has a rubric.
    public static func markdown(manifest: GradingManifest, submission: Submission?, repository: URL) -> String {
        var lines = ["# Written answers for manual grading", ""]
        for exercise in manifest.exercises {
            let rubricURL = repository.appendingPathComponent("Solutions/\(exercise.name)/RUBRIC.md")
            guard let rubric = try? String(contentsOf: rubricURL, encoding: .utf8) else { continue }
            let answerURL = submission?.exerciseFolder(exercise.name)?.appendingPathComponent("ANSWERS.md")
            let answer = answerURL.flatMap { try? String(contentsOf: $0, encoding: .utf8) }
            lines += ["## \(exercise.name) (\(exercise.question))", "", "### Student's answers", ""]
            lines += [answer.map { Scoring.truncated($0, limit: 20_000) } ?? "_No ANSWERS.md submitted._", ""]
            lines += ["### Rubric", "", rubric, ""]
        }
        return lines.joined(separator: "\n")
    }
}
