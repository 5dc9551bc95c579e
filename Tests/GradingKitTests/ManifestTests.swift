import Foundation
import GradingKit
import Testing


/// The exercise names of `Package.swift`'s `exerciseList`, in order (rows `("Name", true|false, [...])`).
private func packageExercises() throws -> [String] {
    let manifest = try String(contentsOf: repository.appendingPathComponent("Package.swift"), encoding: .utf8)
    return manifest.matches(of: /\("(\w+)",\s*(?:true|false),\s*\[/).map { String($0.1) }
}

/// The repository's manifest decodes, passes its checks, grades exactly the exercises of
/// `Package.swift` in the same order, and keeps the handouts' points where they give some.
@Test func repositoryManifestGradesThePackagesExercises() throws {
    let manifest = try repositoryManifest()
    let exercises = try packageExercises()
    #expect(exercises.count >= 10)
    #expect(manifest.exercises.map(\.name) == exercises)
    #expect(manifest.exercise(named: "AdamEquivalences")?.maxPoints == 3)
    #expect(manifest.exercise(named: "FOMAML")?.maxPoints == 30)
    #expect(manifest.exercise(named: "TransferLearning")?.maxPoints == 20)
    #expect(manifest.maxPoints == 67, "the regular exercises carry the course's 67 points")
    #expect(manifest.extraCreditExercises == ["MAMLPlusPlus"])
    #expect(manifest.exercise(named: "MAMLPlusPlus")?.maxPoints == 10 && manifest.extraPoints == 10)
}

/// The work copy gets the sources of every library an exercise lists and of what those use,
/// system libraries included, and no others.
@Test func workCopyFoldersFollowTheExercisesLibraries() throws {
    let manifest = try String(contentsOf: repository.appendingPathComponent("Package.swift"), encoding: .utf8)
    #expect(WorkCopy.requiredSourceFolders(manifest: manifest)
            == ["Sources/Autodiff", "Sources/COpenBLAS", "Sources/CPNG", "Sources/NeuralNetworks", "Sources/Plots", "Sources/TaskData"])
    let small = """
        let libraries: [(name: String, dependencies: [Target.Dependency])] = [
            ("Autodiff", ["COpenBLAS"]), ("Plots", []), ("Fancy", ["Autodiff", "CFancy"]),
        ]
        let exerciseList: [(name: String, writtenAnswers: Bool, libraries: [String])] = [
            ("One", false, ["Autodiff"]), ("Two", true, ["Fancy"]),
        ]
        """
    #expect(WorkCopy.requiredSourceFolders(manifest: small)
            == ["Sources/Autodiff", "Sources/CFancy", "Sources/COpenBLAS", "Sources/Fancy"])
}

@Test func duplicatePartsAndNonPositivePointsAreRefused() throws {
    var duplicate = sampleManifest
    duplicate.exercises[0].parts[1].id = "update"
    #expect(throws: GradingError.invalidManifest("GDStep: part update appears twice")) { try duplicate.check() }
    var free = sampleManifest
    free.exercises[1].parts[0].points = 0
    #expect(throws: GradingError.invalidManifest("AdamEquivalences/rmsprop: points must be positive, got 0.0")) { try free.check() }
}

@Test func malformedJSONNamesTheProblem() {
    #expect {
        try GradingManifest.decode(Data("{\"course\": 3}".utf8))
    } throws: { error in
        "\(error)".hasPrefix("invalid grading manifest: not valid manifest JSON")
    }
}

/// Grading stops before it starts when a data folder the hidden tests need is missing, naming
/// the variable and the exercises, so no student loses points to the instructor's set-up.
@Test func aMissingDataFolderStopsGradingAndNamesIt() throws {
    let manifest = try repositoryManifest()
    #expect(manifest.exercise(named: "FOMAML")?.dataFolders == ["OMNIGLOT_ROOT"])
    #expect(manifest.exercise(named: "TransferLearning")?.dataFolders == ["OMNIGLOT_ROOT"])
    #expect { try manifest.checkDataFolders(environment: [:]) } throws: { error in
        let text = String(describing: error)
        return text.contains("OMNIGLOT_ROOT is not set") && text.contains("FOMAML") && text.contains("TransferLearning")
    }
    #expect { try manifest.checkDataFolders(environment: ["OMNIGLOT_ROOT": "/no/such/folder"]) } throws: { error in
        String(describing: error).contains("names /no/such/folder, which is not a folder")
    }
    try manifest.checkDataFolders(environment: ["OMNIGLOT_ROOT": FileManager.default.temporaryDirectory.path])
    try manifest.checkDataFolders(for: ["GDStep", "MAMLPlusPlus"], environment: [:])
}
