import Foundation
import GradingKit
import Testing


private func temporaryFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(name)-\(UUID().uuidString)")
}

@Test func studentBundleHoldsNoReferenceCode() throws {
    let bundle = temporaryFolder("bundle")
    defer { try? FileManager.default.removeItem(at: bundle) }
    let files = try StudentBundle.make(repository: repository, out: bundle)
    #expect(files.contains("Exercises/GDStep/GDStep.swift"))
    #expect(!files.contains { $0.hasPrefix("Solutions/") || $0.hasPrefix("Grading/") || $0.contains("Variants/") })
    #expect(files.contains("Exercises/FOMAML/Assessment/README.md") && files.contains("Exercises/FOMAML/Train/main.swift"))
    #expect(files.contains("Exercises/TransferLearning/Assessment/README.md")
            && files.contains("Exercises/TransferLearning/Train/main.swift"))
    #expect(!files.contains { $0.hasSuffix(".checkpoint") }, "trained weights must not reach students")
    let distinctive = try StudentBundle.distinctiveReferenceLines(repository: repository)
    #expect(distinctive.count >= 10)
    #expect(try StudentBundle.revealingLines(in: bundle, repository: repository).isEmpty)
    let manifest = try String(contentsOf: bundle.appendingPathComponent("Package.swift"), encoding: .utf8)
    #expect(manifest.contains("let exerciseImplementation = \"Exercises\""))
    #expect(!manifest.contains("Grading\"") && !manifest.contains("GradingKitTests"))
}

/// The leak check is not vacuous: one reference file planted in a copy is found.
@Test func aPlantedReferenceFileIsFound() throws {
    let folder = temporaryFolder("planted")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("Sources"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: repository.appendingPathComponent("Solutions/MetaObjective/MetaObjective.swift"),
                                     to: folder.appendingPathComponent("Sources/Copied.swift"))
    let leaks = try StudentBundle.revealingLines(in: folder, repository: repository)
    #expect(!leaks.isEmpty)
    #expect(leaks.allSatisfy { $0.file == "Sources/Copied.swift" })
}

@Test func aManifestWithoutTheExpectedLinesIsRefused() {
    #expect(throws: GradingError.packagingFailed("Package.swift has 0 lines with `let exerciseImplementation =`, expected exactly one")) {
        try StudentBundle.tailoredManifest("// swift-tools-version: 6.0\nlet package = Package(name: \"X\")\n")
    }
}

@Test func releaseRefusesAFolderInUse() throws {
    let folder = temporaryFolder("used")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "keep".write(to: folder.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
    #expect(throws: GradingError.packagingFailed("\(folder.path) is not empty; choose a new folder for the bundle")) {
        try StudentBundle.make(repository: repository, out: folder)
    }
}

/// A fake `/autograder` tree: the staged autograder as `source/`, a submission folder.
private func fakeAutograderRoot() throws -> URL {
    let root = temporaryFolder("gradescope")
    try AutograderPackage.stage(repository: repository, into: root.appendingPathComponent("source"),
                                settings: .init(swiftVersion: "6.3.1", testSeconds: 60, memoryMegabytes: 4096))
    try FileManager.default.createDirectory(at: root.appendingPathComponent("submission"), withIntermediateDirectories: true)
    return root
}

@Test func autograderHasItsScriptsAndNoSolutions() throws {
    let root = try fakeAutograderRoot()
    defer { try? FileManager.default.removeItem(at: root) }
    let source = root.appendingPathComponent("source")
    for script in ["setup.sh", "run_autograder"] {
        #expect(FileManager.default.isExecutableFile(atPath: source.appendingPathComponent(script).path))
    }
    #expect(FileManager.default.fileExists(atPath: source.appendingPathComponent("course/Grading/manifest.json").path))
    #expect(!FileManager.default.fileExists(atPath: source.appendingPathComponent("course/Solutions").path))
    // The hidden tests must be there; they share loop headers with the reference, nothing else.
    let leaks = try StudentBundle.revealingLines(in: source, repository: repository).filter { !$0.file.hasPrefix("course/Grading/") }
    #expect(leaks.isEmpty, "\(leaks)")
    let setup = try String(contentsOf: source.appendingPathComponent("setup.sh"), encoding: .utf8)
    #expect(setup.contains("swift-${SWIFT_VERSION}-RELEASE") && setup.contains("libopenblas-dev"))
}

/// Even when the grader cannot run at all, run_autograder leaves a catastrophic-error results.json.
@Test func runAutograderAlwaysWritesResults() throws {
    let root = try fakeAutograderRoot()
    defer { try? FileManager.default.removeItem(at: root) }
    let run = try Shell.run([root.appendingPathComponent("source/run_autograder").path], in: root,
                            environment: ["AUTOGRADER_ROOT": root.path, "GRADER_BIN": "/bin/false"], seconds: 60)
    #expect(run.status == 0, "\(run.output)")
    let data = try Data(contentsOf: root.appendingPathComponent("results/results.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(json["score"] as? Double == 0)
    let tests = try #require(json["tests"] as? [[String: Any]])
    #expect(tests.first?["name"] as? String == "Autograder: catastrophic error")
    let manifest = try repositoryManifest()
    #expect(tests.first?["max_score"] as? Double == manifest.maxPoints)
}
