import Foundation
import GradingKit
import Testing

private let known = ["GDStep", "MetaObjective", "FOMAML"]

/// Reads `folder` as a submission into a new private folder.
private func read(_ folder: URL) throws -> (Submission, URL) {
    let scratch = try temporaryFolder("read")
    return (try Submission.read(folder, known: known, into: scratch.appendingPathComponent("taken"), scratch: scratch), scratch)
}

@Test func plainSourcesAnswersAndAssessmentFilesAreTaken() throws {
    let folder = try temporaryFolder("plain")
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("let a = 1", to: "GDStep/GDStep.swift", in: folder)
    try write("answers", to: "GDStep/ANSWERS.md", in: folder)
    try write("notes", to: "GDStep/notes.txt", in: folder)
    try write("{}", to: "FOMAML/Assessment/metrics.json", in: folder)
    try write("x", to: "FOMAML/Assessment/sub/deep.csv", in: folder)
    let (submission, scratch) = try read(folder)
    defer { try? FileManager.default.removeItem(at: scratch) }
    #expect(submission.exercises == ["GDStep", "FOMAML"])
    let gd = try #require(submission.exerciseFolder("GDStep"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: gd.path).sorted() == ["ANSWERS.md", "GDStep.swift"])
    #expect(FileManager.default.fileExists(atPath: try #require(submission.assessmentFolder("FOMAML")).appendingPathComponent("sub/deep.csv").path))
    #expect(submission.assessmentFolder("GDStep") == nil && submission.exerciseFolder("MetaObjective") == nil)
    #expect(submission.notes.isEmpty)
}

/// A link to a file the student may not read (the reference, say) is never followed.
@Test func symbolicAndHardLinksAreLeftOutAndNamed() throws {
    let folder = try temporaryFolder("links")
    defer { try? FileManager.default.removeItem(at: folder) }
    let secret = folder.appendingPathComponent("secret.swift")
    try write("let answer = 42", to: "secret.swift", in: folder)
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("GDStep"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("GDStep/GDStep.swift"), withDestinationURL: secret)
    try FileManager.default.linkItem(at: secret, to: folder.appendingPathComponent("GDStep/Hard.swift"))
    try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("FOMAML"), withDestinationURL: folder.appendingPathComponent("GDStep"))
    let (submission, scratch) = try read(folder)
    defer { try? FileManager.default.removeItem(at: scratch) }
    #expect(submission.exercises == ["GDStep"], "a linked exercise folder is not followed")
    #expect(try FileManager.default.contentsOfDirectory(atPath: try #require(submission.exerciseFolder("GDStep")).path).isEmpty)
    #expect(submission.notes.contains { $0.contains("GDStep/GDStep.swift") && $0.contains("symbolic link") })
    #expect(submission.notes.contains { $0.contains("GDStep/Hard.swift") && $0.contains("hard link") })
}

@Test func hiddenAndOversizedFilesAreLeftOut() throws {
    let folder = try temporaryFolder("sizes")
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("x", to: "GDStep/.Hidden.swift", in: folder)
    try write(String(repeating: "/", count: Submission.Limits.sourceBytes + 1), to: "GDStep/Huge.swift", in: folder)
    let (submission, scratch) = try read(folder)
    defer { try? FileManager.default.removeItem(at: scratch) }
    #expect(submission.notes.count == 2)
    #expect(submission.notes.contains { $0.contains("Huge.swift") && $0.contains("larger than") })
}

@Test func exerciseFoldersAreFoundInTheUsualLayouts() throws {
    for prefix in ["", "Exercises/", "bundle/", "bundle/Exercises/"] {
        let folder = try temporaryFolder("layout")
        defer { try? FileManager.default.removeItem(at: folder) }
        try write("let a = 1", to: "\(prefix)MetaObjective/MetaObjective.swift", in: folder)
        let (submission, scratch) = try read(folder)
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(submission.exercises == ["MetaObjective"], "layout \(prefix)")
    }
    let empty = try temporaryFolder("empty")
    defer { try? FileManager.default.removeItem(at: empty) }
    try write("hello", to: "README.txt", in: empty)
    let (none, scratch) = try read(empty)
    defer { try? FileManager.default.removeItem(at: scratch) }
    #expect(none.exercises.isEmpty && none.notes.first?.contains("No exercise folder") == true)
}

@Test func aZipIsUnpackedAndAZipBombRefused() throws {
    let folder = try temporaryFolder("zip")
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("let a = 1", to: "Exercises/GDStep/GDStep.swift", in: folder)
    #expect(try Shell.run(["zip", "-qr", "submission.zip", "Exercises"], in: folder, seconds: 60).status == 0)
    let (submission, scratch) = try read(folder.appendingPathComponent("submission.zip"))
    defer { try? FileManager.default.removeItem(at: scratch) }
    #expect(submission.exercises == ["GDStep"])

    let bomb = try temporaryFolder("bomb")
    defer { try? FileManager.default.removeItem(at: bomb) }
    #expect(try Shell.run(["sh", "-c", "head -c 600000000 /dev/zero > zeros && zip -q bomb.zip zeros && rm zeros"], in: bomb, seconds: 300).status == 0)
    #expect(throws: GradingError.self) { try read(bomb.appendingPathComponent("bomb.zip")) }
}

@Test func somethingThatIsNeitherAFolderNorAZipIsRefusedByName() throws {
    let folder = try temporaryFolder("text")
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("x", to: "answers.txt", in: folder)
    #expect {
        try read(folder.appendingPathComponent("answers.txt"))
    } throws: { error in
        "\(error)".contains("answers.txt is neither a folder nor a .zip")
    }
}
