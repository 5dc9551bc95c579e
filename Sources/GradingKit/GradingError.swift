/// What can stop grading, each with a message naming the problem.
public enum GradingError: Error, Equatable, CustomStringConvertible {
    /// The manifest is missing, unreadable or inconsistent.
    case invalidManifest(String)
    /// The submission is not a folder or zip laid out like `Exercises/`.
    case invalidSubmission(String)
    /// A helper program (swift, unzip, cp) could not run.
    case commandFailed(String)
    /// The course config file (deadline, late policy, limits) is missing or wrong.
    case invalidConfig(String)
    /// The submission times (CSV or file times) are missing or unreadable.
    case invalidTimes(String)
    /// The student bundle or the autograder could not be made.
    case packagingFailed(String)
    /// A data folder the hidden tests need is not available.
    case missingData(String)
    /// Student code could read the course's answers or hidden tests where it would run.
    case unsafeCourse(String)
    /// No exercise has this name; the payload lists the known ones.
    case unknownExercise(String, known: [String])
    /// A file of hand-given scores is malformed or names something that does not exist.
    case invalidScores(String)
    /// An export for a learning-management system would not import as its format requires.
    case invalidExport(String)

    /// A one-line explanation for the command line.
    public var description: String {
        switch self {
        case .invalidManifest(let problem): "invalid grading manifest: \(problem)"
        case .invalidSubmission(let problem): "invalid submission: \(problem)"
        case .commandFailed(let problem): "command failed: \(problem)"
        case .invalidConfig(let problem): "invalid course config: \(problem)"
        case .invalidTimes(let problem): "invalid submission times: \(problem)"
        case .packagingFailed(let problem): "cannot package: \(problem)"
        case .missingData(let problem): "missing data: \(problem)"
        case .unsafeCourse(let problem): "unsafe to grade: \(problem)"
        case .unknownExercise(let name, let known): "there is no exercise \(name); the exercises are \(known.joined(separator: ", "))"
        case .invalidScores(let problem): "invalid written scores: \(problem)"
        case .invalidExport(let problem): "invalid export: \(problem)"
        }
    }
}
