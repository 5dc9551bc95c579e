import Foundation
import GradingKit
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
        (["--sample", "0"], "Error: --sample must be a whole number of mutants, at least 1, or EXERCISE=NUMBER, got 0"),
        (["--sample", "many"], "Error: --sample must be a whole number of mutants, at least 1, or EXERCISE=NUMBER, got many"),
        (["--sample", "=3"], "Error: --sample must be a whole number of mutants, at least 1, or EXERCISE=NUMBER, got =3"),
        (["--sample", "Nope=3"], "Error: there is no exercise Nope; the exercises are GDStep, "),
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

/// Grades a sample of three GDStep mutants for real and reads the reports. Builds the judges and
/// the work copy first when they are not built yet (minutes on a fresh clone, about 30 s once
/// they are): only with GRADER_END_TO_END=1.
@Test(.enabled(if: ProcessInfo.processInfo.environment["GRADER_END_TO_END"] == "1"))
func mutateGradesASampleOfGDStepAndWritesItsReports() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("mutate-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try runGrader(["mutate", "--exercise", "GDStep", "--sample", "3", "--out", out.path])
    #expect(run.status == 0, "\(run.output)\(run.error)")
    let markdown = try String(contentsOf: out.appendingPathComponent("GDStep/mutation.md"), encoding: .utf8)
    #expect(markdown.contains("| GDStep | 7 | 3 |") && markdown.contains("a fixed sample for GDStep (`--sample GDStep=3`)"))
    let rows = try CSVText.rows(String(contentsOf: out.appendingPathComponent("GDStep/mutation.csv"), encoding: .utf8))
    #expect(rows.count == 4 && rows.dropFirst().allSatisfy { ["killed", "not compiling"].contains($0[6]) }, "\(rows)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("mutation.md").path))
}
