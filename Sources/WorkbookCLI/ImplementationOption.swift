import ArgumentParser
import Foundation
import Workbook

extension ExerciseSource: ExpressibleByArgument {}

/// `--impl reference|student`: whose exercise code the chapters run.
struct ImplementationOption: ParsableArguments {
    @Option(name: .customLong("impl"),
            help: "Whose exercise code chapters run: reference (the solutions, the ordinary build) or student (builds Exercises/ first).")
    var implementation: ExerciseSource = .reference

    /// Whether this program was compiled from the student's files.
    static var builtFromStudentFiles: Bool {
        #if STUDENT_EXERCISES
        true
        #else
        false
        #endif
    }

    /// The exercise table to run with. For `student` in the ordinary build, builds the student
    /// variant, runs it with this process's arguments, and exits with its status instead of returning.
    func exerciseCode() throws -> ExerciseCode {
        switch implementation {
        case .reference:
            guard !Self.builtFromStudentFiles else {
                throw ValidationError("this workbook was built from the student's files (MAML_IMPLEMENTATION=exercises); "
                    + "use --impl student, or the ordinary build for the reference")
            }
            return .builtIn()
        case .student:
            if Self.builtFromStudentFiles { return .builtIn() }
            if ProcessInfo.processInfo.environment[StudentBuild.marker] != nil {
                throw StudentBuild.Failure.notStudentBuild(CommandLine.arguments[0])
            }
            let say = { (line: String) in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            let program = try StudentBuild.build(root: try StudentBuild.packageRoot(), say: say)
            throw ExitCode(try StudentBuild.run(program, arguments: Array(CommandLine.arguments.dropFirst()), say: say))
        }
    }
}
