import ArgumentParser
import Foundation

/// Whose exercise code the chapters run.
enum Implementation: String, ExpressibleByArgument, CaseIterable {
    /// The reference solutions (`Solutions/`), linked into the ordinary course build.
    case reference
    /// The student's files (`Exercises/`).
    case student
}

/// `--impl reference|student`: in the course repository, whose exercise code the chapters run. A
/// program built from the student's files (the student bundle, or the student build below) runs
/// them and needs no option.
struct ImplementationOption: ParsableArguments {
    @Option(name: .customLong("impl"),
            help: ArgumentHelp("Whose exercise code the chapters run: reference (Solutions/, this build) or student (builds Exercises/ first).",
                               visibility: builtFromStudentFiles ? .hidden : .default))
    var implementation: Implementation = builtFromStudentFiles ? .student : .reference

    /// Whether this program was compiled from the student's files.
    static var builtFromStudentFiles: Bool {
        #if STUDENT_EXERCISES
        true
        #else
        false
        #endif
    }

    /// Returns when this program holds the code asked for. For `student` in a reference build,
    /// builds the student variant, runs it with this process's arguments and exits with its
    /// status instead of returning.
    func runHereOrInStudentBuild() throws {
        switch implementation {
        case .reference:
            guard !Self.builtFromStudentFiles else {
                throw ValidationError("this workbook was built from the exercise files in Exercises/ and holds no reference solutions; "
                    + "leave out --impl reference")
            }
        case .student:
            if Self.builtFromStudentFiles { return }
            if ProcessInfo.processInfo.environment[StudentBuild.marker] != nil {
                throw StudentBuild.Failure.notStudentBuild(CommandLine.arguments[0])
            }
            let say = { (line: String) in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            let program = try StudentBuild.build(root: try StudentBuild.packageRoot(), say: say)
            throw ExitCode(try StudentBuild.run(program, arguments: Array(CommandLine.arguments.dropFirst()), say: say))
        }
    }
}
