import Foundation
import GradingKit
import Testing

/// The exercises the class below hands in.
private let classExercises = ["GDStep", "MetaObjective", "MAMLTraining", "ReptileAndANIL"]

/// Writes `student`'s submission into `root/<student>/`: for each exercise, the reference or one of
/// its wrong variants (`nil`: the reference), with the reference's assessment folder where it has one.
func writeStudent(_ student: String, _ choices: [String: String?], into root: URL) throws {
    let folder = root.appendingPathComponent(student)
    for (exercise, choice) in choices {
        let reference = repository.appendingPathComponent("Solutions/\(exercise)")
        guard let name = choice else {
            for file in try FileManager.default.contentsOfDirectory(atPath: reference.path) where file.hasSuffix(".swift") {
                try write(String(contentsOf: reference.appendingPathComponent(file), encoding: .utf8), to: "\(exercise)/\(file)", in: folder)
            }
            let assessment = reference.appendingPathComponent("Assessment")
            if FileManager.default.fileExists(atPath: assessment.path) {
                try Shell.copy(assessment, to: folder.appendingPathComponent("\(exercise)/Assessment"))
            }
            continue
        }
        try Variant.load(repository.appendingPathComponent("Grading/\(exercise)/Variants/\(name).variant"), exercise: exercise)
            .write(reference: reference, into: folder)
    }
}

/// A copy reworded the way students disguise one: local names changed, doc comments replaced by
/// comments of one's own, two independent statements swapped, and the file's functions reordered.
func reworded(_ source: String, renames: [String: String], swaps: [(String, String)]) -> String {
    var text = source
    for (old, new) in renames {
        text = text.replacingOccurrences(of: #"\b\#(old)\b"#, with: new, options: .regularExpression)
    }
    for (first, second) in swaps {
        guard let a = text.range(of: first), let b = text.range(of: second), a.upperBound <= b.lowerBound else { continue }
        text.replaceSubrange(b, with: first)
        text.replaceSubrange(text.range(of: first)!, with: second)
    }
    var lines: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.trimmingCharacters(in: .whitespaces).hasPrefix("///") { continue }
        lines.append(String(line))
        if line.hasPrefix("public func") { lines.insert("// my own version, worked out in the study group", at: lines.count - 1) }
    }
    // Reorder the file's top-level functions: last one first.
    let body = lines.joined(separator: "\n")
    let pieces = body.components(separatedBy: "\n// my own version")
    guard pieces.count > 2 else { return body }
    return ([pieces[0]] + [pieces.last!] + pieces.dropFirst().dropLast()).joined(separator: "\n// my own version")
}

/// Three correct gdStep solutions written independently of the reference and of each other.
let independentGDSteps = [
    """
    import Autodiff
    import ExerciseSupport

    public func gdStep(
        _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, stepSize: Double
    ) throws -> Parameters {
        if !stepSize.isFinite {
            throw ExerciseError.invalidArgument("the step size \\(stepSize) is not a finite number")
        }
        let slope = grad(cost)(params)
        var moved = params
        moved = moved - stepSize * slope
        return moved
    }
    """,
    """
    import Autodiff
    import ExerciseSupport

    public func gdStep(
        _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, stepSize: Double
    ) throws -> Parameters {
        guard !stepSize.isNaN, !stepSize.isInfinite else { throw ExerciseError.invalidArgument("step") }
        let (_, gradients) = valueAndGrad(cost)(params)
        return params.zip(gradients) { value, slope in value - stepSize * slope }
    }
    """,
    """
    import Autodiff
    import ExerciseSupport

    // θ' = θ − η ∇cost(θ)
    public func gdStep(
        _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, stepSize: Double
    ) throws -> Parameters {
        switch stepSize.isFinite {
        case false: throw ExerciseError.invalidArgument("non-finite step size")
        case true: break
        }
        let direction = -1.0 * grad(cost)(params)
        let update = stepSize * direction
        return params + update
    }
    """,
]

/// A class built from the reference and its wrong variants, one student's submission copied by
/// another and reworded, and independent correct solutions of the short GDStep.
func makeSimilarityClass() throws -> URL {
    let root = try temporaryFolder("similarity-class")
    try writeStudent("s01", ["GDStep": nil, "MetaObjective": nil, "MAMLTraining": nil, "ReptileAndANIL": nil], into: root)
    try writeStudent("s02", ["GDStep": "plusSign", "MetaObjective": "oneStepTooFew", "MAMLTraining": "queryInInnerLoop",
                             "ReptileAndANIL": "movesAway"], into: root)
    try writeStudent("s03", ["GDStep": "detachedGradient", "MetaObjective": "detachedInnerSteps", "MAMLTraining": "plusSign",
                             "ReptileAndANIL": "adaptsBody"], into: root)
    try writeStudent("s04", ["GDStep": "returnsGradient", "MetaObjective": "oneStepTooMany", "MAMLTraining": nil,
                             "ReptileAndANIL": "notResetBetweenTasks"], into: root)
    try writeStudent("s05", ["MetaObjective": nil, "MAMLTraining": nil, "ReptileAndANIL": "summedMoves"], into: root)
    for (index, source) in independentGDSteps.enumerated() {
        let student = "s0\(index + 5)"
        if index > 0 { try writeStudent(student, ["MetaObjective": nil, "MAMLTraining": nil, "ReptileAndANIL": nil], into: root) }
        try write(source, to: "\(student)/GDStep/GDStep.swift", in: root)
    }
    // s02 wrote GDStep their own way; s08 copied all of s02's files and reworded every one.
    try write("""
        import Autodiff
        import ExerciseSupport

        /// One step downhill: every tensor moves against its own gradient.
        public func gdStep(
            _ cost: @escaping (Parameters) -> Tensor, _ params: Parameters, stepSize: Double
        ) throws -> Parameters {
            guard stepSize.isFinite else { throw ExerciseError.invalidArgument("stepSize must be finite, got \\(stepSize)") }
            let gradient = grad(cost)(params)
            var result = params
            for name in params.names {
                result = result.replacing(name, with: params.require(name) - stepSize * gradient.require(name))
            }
            return result
        }
        """, to: "s02/GDStep/GDStep.swift", in: root)
    let renames = ["gradient": "metaGrad", "supportCost": "innerLoss", "failure": "caught", "adapted": "fitted", "metaLosses": "history",
                   "next": "updated", "loss": "objective", "task": "sampled", "totalMove": "sumOfMoves", "cost": "lossFn", "theta": "w"]
    let swaps = [("    var params = initial\n", "    var metaLosses: [Double] = []\n"),
                 ("    guard stepSize.isFinite else", "    let gradient = grad(cost)(params)")]
    let original = root.appendingPathComponent("s02")
    for relative in FileManager.default.subpaths(atPath: original.path)!.sorted() where relative.hasSuffix(".swift") {
        let text = try String(contentsOf: original.appendingPathComponent(relative), encoding: .utf8)
        try write(reworded(text, renames: renames, swaps: swaps), to: "s08/\(relative)", in: root)
    }
    return root
}

/// The pairs of the class, ranked.
func rankedPairs(_ root: URL, settings: Similarity.Settings = Similarity.Settings()) throws -> [Similarity.Pair] {
    let students = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }.sorted()
    let works = students.flatMap { Similarity.works(student: $0, root: root.appendingPathComponent($0), exercises: classExercises) }
    return Similarity.compare(works, handedOut: { Fingerprints.handedOut(exercise: $0, repository: repository) }, settings: settings)
}

@Test func theCopiedAndRewordedPairTopsTheRanking() throws {
    let root = try makeSimilarityClass()
    defer { try? FileManager.default.removeItem(at: root) }
    let pairs = try rankedPairs(root)
    for pair in pairs.prefix(8) + pairs.filter({ $0.a.student == "s02" && $0.b.student == "s08" }) {
        print("similarity \(pair.exercise) \(pair.a.student)-\(pair.b.student): \(String(format: "%.3f", pair.score)) "
            + "(\(pair.shared) of \(pair.fingerprintsA)/\(pair.fingerprintsB))\(pair.flagged ? " flagged" : "")")
    }
    let planted = pairs.filter { $0.a.student == "s02" && $0.b.student == "s08" }
    let others = pairs.filter { !($0.a.student == "s02" && $0.b.student == "s08") }
    #expect(pairs.first?.a.student == "s02" && pairs.first?.b.student == "s08")
    #expect(planted.filter(\.flagged).count == 3, "the copy is flagged wherever it has code of its own: \(planted.map { ($0.exercise, $0.score) })")
    #expect(others.allSatisfy { !$0.flagged }, "nobody else is flagged: \(others.filter(\.flagged).map { ($0.exercise, $0.a.student, $0.b.student, $0.score) })")
    #expect(pairs.prefix(3).allSatisfy { $0.a.student == "s02" && $0.b.student == "s08" }, "the pair's three flagged exercises rank first")
}

/// Independent correct solutions of GDStep (the reference among them) stay below the threshold,
/// compared on their own so that no common-code filtering helps them.
@Test func independentSolutionsOfAShortExerciseAreNotFlagged() throws {
    let root = try temporaryFolder("similarity-independent")
    defer { try? FileManager.default.removeItem(at: root) }
    try writeStudent("reference", ["GDStep": nil], into: root)
    for (index, source) in independentGDSteps.enumerated() { try write(source, to: "i\(index + 1)/GDStep/GDStep.swift", in: root) }
    let pairs = try rankedPairs(root)
    #expect(pairs.count == 6)
    for pair in pairs {
        print("similarity independent \(pair.a.student)-\(pair.b.student): \(String(format: "%.3f", pair.score)) (\(pair.shared) shared)")
        #expect(pair.score < Similarity.Settings().threshold && !pair.flagged)
    }
}

@Test func theReportRanksPairsInCSVAndHTML() throws {
    let root = try makeSimilarityClass()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("report")
    try SimilarityReport.write(try rankedPairs(root), settings: Similarity.Settings(), into: out)
    let csv = try CSVText.rows(String(contentsOf: out.appendingPathComponent("similarity.csv"), encoding: .utf8))
    #expect(csv[0] == ["rank", "exercise", "student a", "student b", "score", "shared", "fingerprints a", "fingerprints b", "flagged", "lines a", "lines b"])
    #expect(csv[1][2] == "s02" && csv[1][3] == "s08" && csv[1][8] == "yes")
    let page = try String(contentsOf: out.appendingPathComponent("pair-1.html"), encoding: .utf8)
    #expect(page.contains("class=\"m0\"") && page.contains("s02") && page.contains("s08"))
    let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(index.contains("pair-1.html") && index.contains("flagged"))
}
