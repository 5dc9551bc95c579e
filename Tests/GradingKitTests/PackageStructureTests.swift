import Foundation
import GradingKit
import Testing

@Test func exercisesAndTheirFoldersComeFromTheTargets() throws {
    let json = """
        {"targets": [
          {"name": "Autodiff", "type": "regular", "dependencies": [{"target": ["COpenBLAS", null]}]},
          {"name": "COpenBLAS", "type": "system", "dependencies": []},
          {"name": "GDStep", "type": "regular", "path": "Exercises/GDStep", "dependencies": [{"byName": ["Autodiff", null]}]},
          {"name": "GDStepChecks", "type": "test", "path": "Exercises/GDStep/Checks", "dependencies": [{"target": ["GDStep", null]}]},
          {"name": "GDStepJudge", "type": "executable", "path": "Grading/GDStep", "dependencies": []},
          {"name": "GDStepProbes", "type": "executable", "path": "Grading/GDStep/Probes",
           "dependencies": [{"target": ["GDStep", null]}, {"product": ["ArgumentParser", "swift-argument-parser", null, null]}]},
          {"name": "Plots", "type": "regular", "dependencies": []}
        ]}
        """
    let structure = try PackageStructure.decode(Data(json.utf8))
    #expect(structure.exercises == ["GDStep"] && structure.gradedExercises == ["GDStep"])
    #expect(structure.folders(reachableFrom: ["GDStepProbes"]) == ["Exercises/GDStep", "Grading/GDStep/Probes", "Sources/Autodiff", "Sources/COpenBLAS"])
}

/// The course's exercises, in course order, as the package declares them.
@Test func theCoursesExercisesAreReadFromThePackage() throws {
    let structure = try PackageStructure.load(package: repository)
    #expect(structure.exercises == ["GDStep", "MetaObjective", "AdamEquivalences", "ScaleInvariance", "MAMLTraining", "SineMAML",
                                    "LearnedInnerRate", "ReptileAndANIL", "FOMAML", "TransferLearning", "MAMLPlusPlus"])
    #expect(structure.gradedExercises == structure.exercises, "every exercise has a judge")
}

/// The tools read the package's structure from SwiftPM, never by parsing the manifest's text.
@Test func noToolReadsPackageSwiftAsText() throws {
    let fileManager = FileManager.default
    var readers: [String] = []
    for folder in ["Sources", "Tests", "Grading"] {
        let root = repository.appendingPathComponent(folder)
        for case let relative as String in fileManager.enumerator(atPath: root.path) ?? FileManager.DirectoryEnumerator()
        where relative.hasSuffix(".swift") && !relative.hasSuffix("PackageStructureTests.swift") {
            let text = try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
            if text.contains("\"Package.swift\"), encoding") || text.contains("appendingPathComponent(\"Package.swift\"), encoding") {
                readers.append("\(folder)/\(relative)")
            }
        }
    }
    #expect(readers.isEmpty, "these read Package.swift as text: \(readers)")
}
