import Foundation

/// The entry point of an exercise's judge program (`<E>Judge`), which draws inputs and decides
/// parts and never links or runs student code:
///
///     <E>Judge parts                                   the exercise and its parts, as JSON
///     <E>Judge inputs <part> --seed N                  the part's inputs for grading seed N, as JSON
///     <E>Judge judge <part> --seed N --report FILE [--assessment DIR]
///                                                      the verdict on a probe's report, as JSON
///
/// A part that is not probed takes no `--report`; `--assessment` names the submitted
/// `Assessment/` folder. The seed decides the inputs completely, so a regrade with the same seed
/// sees the same inputs.
public enum JudgeProgram {
    /// Runs the command in the program's arguments and exits.
    public static func run(_ exercise: ExerciseParts) -> Never {
        do {
            let output = try respond(to: Array(CommandLine.arguments.dropFirst()), exercise: exercise)
            FileHandle.standardOutput.write(output)
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(64)
        }
    }

    /// The JSON answer to `arguments` (without the program name).
    public static func respond(to arguments: [String], exercise: ExerciseParts) throws -> Data {
        guard let command = arguments.first else { throw JudgeUsage.problem("give a command: parts, inputs or judge") }
        let options = try Options(Array(arguments.dropFirst()))
        switch command {
        case "parts":
            return try ValueJSON.encode(exercise.description)
        case "inputs":
            let part = try options.part(of: exercise)
            return try ValueJSON.encode(try part.inputs(seed: try options.seed(), exercise: exercise.name))
        case "judge":
            let part = try options.part(of: exercise)
            let inputs = try part.inputs(seed: try options.seed(), exercise: exercise.name)
            let observed: Record
            if part.probed {
                let report = try options.value("--report")
                let data = try Data(contentsOf: URL(fileURLWithPath: report))
                guard let decoded = try? ValueJSON.decode(Record.self, from: data) else {
                    var judgement = Judgement(inputs: "")
                    judgement.require(false, "The run of your code ended without a readable report of its results.")
                    return try ValueJSON.encode(judgement.verdict)
                }
                observed = decoded
            } else {
                observed = Record()
            }
            let assessment = options.values["--assessment"].map { URL(fileURLWithPath: $0) }
            return try ValueJSON.encode(part.judge(inputs: inputs, observed: observed, submission: SubmittedFiles(assessmentFolder: assessment)))
        default:
            throw JudgeUsage.problem("unknown command \(command); use parts, inputs or judge")
        }
    }

    /// The part id and `--name value` options after the command.
    struct Options {
        var positional: [String] = []
        var values: [String: String] = [:]

        init(_ arguments: [String]) throws {
            var index = 0
            while index < arguments.count {
                let argument = arguments[index]
                if argument.hasPrefix("--") {
                    guard index + 1 < arguments.count else { throw JudgeUsage.problem("\(argument) needs a value") }
                    values[argument] = arguments[index + 1]
                    index += 2
                } else {
                    positional.append(argument)
                    index += 1
                }
            }
        }

        func value(_ name: String) throws -> String {
            guard let value = values[name] else { throw JudgeUsage.problem("\(name) is required") }
            return value
        }

        func seed() throws -> UInt64 {
            let text = try value("--seed")
            guard let seed = UInt64(text) else { throw JudgeUsage.problem("--seed must be a whole number from 0 to 2^64 - 1, got \(text)") }
            return seed
        }

        func part(of exercise: ExerciseParts) throws -> Part {
            guard let id = positional.first else { throw JudgeUsage.problem("name the part: \(exercise.parts.map(\.id).joined(separator: ", "))") }
            guard let part = exercise.part(id) else {
                throw JudgeUsage.problem("\(exercise.name) has no part \(id); its parts are \(exercise.parts.map(\.id).joined(separator: ", "))")
            }
            return part
        }
    }
}

/// A mistake in how a judge program was called.
enum JudgeUsage: Error, CustomStringConvertible {
    case problem(String)

    var description: String {
        switch self {
        case .problem(let message): "judge: \(message)"
        }
    }
}
