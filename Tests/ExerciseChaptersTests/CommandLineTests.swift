import Foundation
import Testing
@testable import ExerciseWorkbookCLI

/// Runs the student workbook built beside the test bundle (`exercise-workbook` in the course
/// repository, `workbook` in the student bundle) and captures its output.
func runExerciseWorkbook(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let names = ["exercise-workbook", "workbook"]
    if !names.contains(where: { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }) {
        folder = folder.deletingLastPathComponent()  // `swift test` may run from inside the .xctest bundle's folder
    }
    let name = names.first { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) } ?? names[0]
    let process = Process()
    process.executableURL = folder.appendingPathComponent(name)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    (process.standardOutput, process.standardError) = (out, err)
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

@Suite("The student workbook command")
struct CommandLineTests {
    @Test("list prints the chapters in course order; bad input is one sentence and a non-zero exit")
    func listAndBadInput() throws {
        let list = try runExerciseWorkbook(["list"])
        #expect(list.status == 0)
        #expect(list.output.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
                == ["maml-toy", "adam", "sine-maml", "unrolled-sgd", "reptile-anil", "fomaml-omniglot", "transfer", "maml-plus-plus"])
        let unknown = try runExerciseWorkbook(["run", "nope"])
        #expect(unknown.status != 0 && unknown.error.contains("no chapter is called 'nope'"), "\(unknown.error)")
        let impl = try runExerciseWorkbook(["run", "adam", "--impl", "mine"])
        #expect(impl.status != 0 && impl.error.contains("'mine'"), "\(impl.error)")
        if !ImplementationOption.builtFromStudentFiles {  // the student bundle hides the option and its choices
            #expect(impl.error.contains("reference") && impl.error.contains("student"), "\(impl.error)")
        }
    }

    @Test("without arguments it prints the help and the chapter list and runs nothing; paths and numbers are checked first")
    func bareCommandAndChecks() throws {
        let bare = try runExerciseWorkbook([])
        #expect(bare.status == 0 && bare.output.contains("USAGE:") && bare.output.contains("CHAPTERS"), "\(bare.output)\(bare.error)")
        #expect(bare.output.contains("\n  maml-toy ") && bare.output.contains("\n  maml-plus-plus "))
        let seed = try runExerciseWorkbook(["run", "adam", "--seed", "-1"])
        #expect(seed.status != 0 && seed.error.hasPrefix("Error: The value '-1' is invalid for '--seed"), "\(seed.error)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("student-out-file-\(UUID().uuidString)")
        try Data("not a folder".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let out = try runExerciseWorkbook(["run", "adam", "--out", file.path])
        #expect(out.status != 0 && out.error == "Error: --out \(file.path) is a file; give a folder (it is created if it does not exist)\n",
                "\(out.error)")
        #expect(out.output.isEmpty)
    }

    /// Builds a second copy of the package from the stubs in Exercises/ (minutes): set
    /// MAML_TEST_STUDENT_BUILD=1 to run it.
    @Test("--impl student builds the stubs and every section names the exercise to finish",
          .enabled(if: ProcessInfo.processInfo.environment["MAML_TEST_STUDENT_BUILD"] == "1"))
    func studentStubs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("student-pages-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try runExerciseWorkbook(["run", "maml-toy", "--quick", "--impl", "student", "--out", folder.path])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        let page = try String(contentsOf: folder.appendingPathComponent("maml-toy/index.html"), encoding: .utf8)
        #expect(page.components(separatedBy: "Finish exercise GDStep").count - 1 == 4)
        #expect(run.output.contains("Warning: Finish exercise GDStep, function gdStep"), "\(run.output)")
    }
}
