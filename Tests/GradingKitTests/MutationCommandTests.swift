import Foundation
import Testing

/// Runs the built `grader` executable (beside the test bundle) on the course repository.
private func runGrader(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var executable = folder.appendingPathComponent("grader")
    if !FileManager.default.fileExists(atPath: executable.path) {
        // `swift test` may run from inside the .xctest bundle's folder.
        executable = folder.deletingLastPathComponent().appendingPathComponent("grader")
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments + ["--repository", repository.path]
    let out = Pipe(), err = Pipe()
    (process.standardOutput, process.standardError) = (out, err)
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile(), error = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
}

@Test func mutateRefusesBadInputInOneSentence() throws {
    let cases: [([String], String)] = [
        (["--exercise", "Nope"], "Error: there is no exercise Nope; the exercises are GDStep, "),
        (["--sample", "0"], "Error: --sample must be a whole number of mutants per exercise, at least 1, got 0"),
        (["--sample", "many"], "Error: --sample must be a whole number of mutants per exercise, at least 1, got many"),
        (["--minimum-score", "120"], "Error: --minimum-score must be a percentage from 0 to 100, got 120"),
    ]
    for (arguments, message) in cases {
        let run = try runGrader(["mutate"] + arguments)
        #expect(run.status != 0, "\(arguments)")
        let lines = run.error.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix(message), "\(arguments): \(run.error)")
    }
}

@Test func mutateListsTheSameSampleEveryTime() throws {
    let first = try runGrader(["mutate", "--list", "--exercise", "GDStep", "--sample", "3"])
    #expect(first.status == 0, "\(first.error)")
    #expect(first.output.hasPrefix("GDStep: 3 of "))
    #expect(first.output == (try runGrader(["mutate", "--list", "--exercise", "GDStep", "--sample", "3"])).output)
}
