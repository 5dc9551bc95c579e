/// Why an exercise function could not give an answer: shared by every exercise, thrown by the
/// stubs until they are filled in and by the functions when an argument is out of range.
public enum ExerciseError: Error, Equatable, CustomStringConvertible {
    /// The function is still the handout's stub; the payload names what is missing.
    case notImplemented(String)
    /// An argument is outside the range the function accepts; the payload says which and why.
    case invalidArgument(String)

    /// A one-line explanation: "not implemented: gdStep" or "invalid argument: ...".
    public var description: String {
        switch self {
        case .notImplemented(let what): "not implemented: \(what)"
        case .invalidArgument(let problem): "invalid argument: \(problem)"
        }
    }
}
