/// What can stop grading, each with a message naming the problem.
public enum GradingError: Error, Equatable, CustomStringConvertible {
    /// The manifest is missing, unreadable or inconsistent.
    case invalidManifest(String)
    /// The submission is not a folder or zip laid out like `Exercises/`.
    case invalidSubmission(String)
    /// A helper program (swift, unzip, cp) could not run.
    case commandFailed(String)

    /// A one-line explanation for the command line.
    public var description: String {
        switch self {
        case .invalidManifest(let problem): "invalid grading manifest: \(problem)"
        case .invalidSubmission(let problem): "invalid submission: \(problem)"
        case .commandFailed(let problem): "command failed: \(problem)"
        }
    }
}
