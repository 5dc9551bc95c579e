import Foundation
import GradingKit
import Testing

@Test func identifiersLiteralsCommentsAndSpacingDoNotChangeFingerprints() {
    let original = """
        /// One step.
        public func gdStep(_ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, stepSize: Double) throws -> Parameters {
            guard stepSize.isFinite else { throw ExerciseError.invalidArgument("stepSize must be finite, got \\(stepSize)") }
            let gradient = grad(cost)(params)
            return params - stepSize * gradient
        }
        """
    let reworded = """
        // a gradient-descent step, written my own way
        public func   gdStep(_ f: @escaping (Parameters) -> Tensor,
                             _ theta: Parameters,
                             stepSize: Double) throws -> Parameters {
            guard stepSize.isFinite else { throw ExerciseError.invalidArgument("bad rate \\(stepSize)") }   /* checked */
            let g = grad(f)(theta)
            return theta - stepSize * g
        }
        """
    #expect(Fingerprints(source: original).hashes == Fingerprints(source: reworded).hashes)
    #expect(Fingerprints(source: original).hashes != Fingerprints(source: original.replacingOccurrences(of: "grad(cost)", with: "cost")).hashes)
}

@Test func stringsAndNumbersAreSingleLiterals() {
    let tokens = SwiftTokens.normalised(##"let a = "x\"y" + #"raw"# + 1.5e-3 + 0x1F // note"##).map(\.text)
    #expect(tokens == ["let", "I", "=", "L", "+", "L", "+", "L", "+", "L"])
}

/// Answers planted in a folder, reworded (names, comments, layout), are found; the stubs are not answers.
@Test func aRewordedAnswerIsFoundAndTheStubsAreNot() throws {
    let check = try LeakCheck(repository: repository)
    let folder = try temporaryFolder("leaks")
    defer { try? FileManager.default.removeItem(at: folder) }
    try Shell.copy(repository.appendingPathComponent("Exercises"), to: folder.appendingPathComponent("Exercises"))
    let inStubs = try check.leaks(in: folder)
    #expect(inStubs.isEmpty, "the stubs, checks and given code hold no answer: \(inStubs)")
    for exercise in ["GDStep", "MetaObjective", "FOMAML", "TransferLearning"] {
        let solutions = repository.appendingPathComponent("Solutions/\(exercise)")
        for name in try FileManager.default.contentsOfDirectory(atPath: solutions.path) where name.hasSuffix(".swift") {
            let text = try String(contentsOf: solutions.appendingPathComponent(name), encoding: .utf8)
            try write(reworded(text), to: "Sources/Planted/\(exercise)\(name)", in: folder)
        }
    }
    let leaks = try check.leaks(in: folder)
    for exercise in ["GDStep", "MetaObjective", "FOMAML", "TransferLearning"] {
        #expect(leaks.contains { $0.answer.hasPrefix("Solutions/\(exercise)/") && $0.file.hasPrefix("Sources/Planted/\(exercise)") },
                "the reworded \(exercise) answer was not found: \(leaks)")
    }
}

/// `text` with its comments dropped, every local name changed and its lines re-indented.
private func reworded(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
    lines = lines.map { "  " + $0.trimmingCharacters(in: .whitespaces) }
    var result = lines.joined(separator: "\n")
    for (old, new) in [("adapted", "phiNow"), ("gradient", "gVec"), ("theta", "startParams"), ("episode", "ep"), ("loss", "objectiveValue"),
                       ("steps", "count"), ("total", "runningSum")] {
        result = result.replacingOccurrences(of: old, with: new)
    }
    return "// my own solution\n" + result
}
