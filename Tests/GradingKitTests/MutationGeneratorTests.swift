import Foundation
import GradingKit
import Testing

/// The mutants of `body` (put inside a function of file `F.swift`), as mutated lines.
private func mutatedLines(_ body: String, _ mutation: MutationOperator? = nil) -> [String] {
    MutantGenerator.mutants(of: "func f() {\n\(body)\n}\n", file: "F.swift", exercise: "E")
        .filter { mutation == nil || $0.mutation == mutation }.map(\.mutated)
}

@Test func arithmeticOperatorsAreSwappedWhereverTheyStand() {
    #expect(Set(mutatedLines("return a - b * c", .arithmetic)) == ["return a + b * c", "return a - b / c"])
    #expect(Set(mutatedLines("total += x / n", .arithmetic)) == ["total -= x / n", "total += x * n"])
    #expect(mutatedLines("let s = xs.reduce(0, +)", .arithmetic) == ["let s = xs.reduce(0, -)"])
    #expect(mutatedLines("let s = zip(a, b).map(+)", .arithmetic) == ["let s = zip(a, b).map(-)"])
}

@Test func signsAndNegationsAreDropped() {
    #expect(mutatedLines("let y = -x", .sign) == ["let y = x"])
    #expect(mutatedLines("let y = !done && (-a).isZero", .sign) == ["let y = done && (-a).isZero", "let y = !done && (a).isZero"])
}

@Test func comparisonsAndLogicalOperatorsAreSwapped() {
    #expect(mutatedLines("let c = a < b", .comparison) == ["let c = a <= b"])
    #expect(mutatedLines("let c = a >= b", .comparison) == ["let c = a > b"])
    #expect(mutatedLines("let c = a == b", .comparison) == ["let c = a != b"])
    #expect(mutatedLines("let c = a && b", .logical) == ["let c = a || b"])
    #expect(mutatedLines("let c = a || b", .logical) == ["let c = a && b"])
}

@Test func neighbouringArgumentsOfACallAreExchangedKeepingTheirLabels() {
    #expect(mutatedLines("let y = f(a, b)", .swappedArguments) == ["let y = f(b, a)"])
    #expect(mutatedLines("let y = g(x: a.count, y: h(b))", .swappedArguments) == ["let y = g(x: h(b), y: a.count)"])
    #expect(mutatedLines("let y = min(a, b) + max(a, b)", .swappedArguments).isEmpty, "min and max do not care")
    #expect(mutatedLines("let y = f(a, b, c)", .swappedArguments) == ["let y = f(b, a, c)", "let y = f(a, c, b)"])
    #expect(mutatedLines("let h = Adam(rate: r, beta1: 0, beta2: d)", .swappedArguments)
        == ["let h = Adam(rate: 0, beta1: r, beta2: d)", "let h = Adam(rate: r, beta1: d, beta2: 0)"])
}

@Test func rangeBoundsAreMovedByOne() {
    #expect(Set(mutatedLines("for i in 0..<n { use(i) }", .rangeBound))
        == ["for i in 0...n { use(i) }", "for i in 0..<n - 1 { use(i) }", "for i in 0..<n + 1 { use(i) }"])
    #expect(Set(mutatedLines("for k in 1...(steps + 1) { use(k) }", .rangeBound))
        == ["for k in 1..<(steps + 1) { use(k) }", "for k in 1...(steps + 1) - 1 { use(k) }", "for k in 1...(steps + 1) + 1 { use(k) }"])
}

@Test func oneTermOfASumOrOneFactorOfAProductIsDropped() {
    #expect(Set(mutatedLines("return a + b * c", .droppedTerm)) == ["return a", "return b * c", "return a + c", "return a + b"])
    #expect(Set(mutatedLines("return p - lr * g(p)", .droppedTerm)) == ["return p", "return p - g(p)", "return p - lr"])
    #expect(mutatedLines("return (1 - beta) / 2", .droppedTerm).sorted() == ["return (1 - beta)", "return (1) / 2"])
}

@Test func constantsAreReplaced() {
    #expect(Set(mutatedLines("let x = [0, 1, 2, 0.5, 0.0, 1e-8]", .constant)) == [
        "let x = [1, 1, 2, 0.5, 0.0, 1e-8]", "let x = [0, 0, 2, 0.5, 0.0, 1e-8]", "let x = [0, 1, 3, 0.5, 0.0, 1e-8]",
        "let x = [0, 1, 2, 1.0, 0.0, 1e-8]", "let x = [0, 1, 2, 0.5, 1.0, 1e-8]", "let x = [0, 1, 2, 0.5, 0.0, 2e-08]"])
    #expect(mutatedLines("let d = pairs.map { $1.0 - $1.1 }", .constant).isEmpty, "tuple indices are not constants")
}

@Test func aCallIsReplacedByItsArgument() {
    #expect(Set(mutatedLines("let g = grad(cost)(p)", .callToArgument)) == ["let g = cost(p)", "let g = p"])
    #expect(Set(mutatedLines("let f = features(x).detached()", .callToArgument)) == ["let f = features(x)", "let f = x.detached()"])
    #expect(mutatedLines("let y = cos(a * t) / 2", .callToArgument) == ["let y = (a * t) / 2"])
    #expect(mutatedLines("let y = step(using: &generator)", .callToArgument).isEmpty, "an inout argument cannot stand alone")
    #expect(Set(mutatedLines("adapted = try step(cost, adapted, eta)", .callToArgument))
        == ["adapted = try cost", "adapted = try adapted", "adapted = try eta"], "a step skipped, among others")
    #expect(mutatedLines("let h = Adam(rate: r, beta1: 0)", .callToArgument).isEmpty, "a type's arguments do not stand in for it")
}

@Test func commentsDocumentationAndStringsAreNeverMutated() {
    let bare = "func f(a: Double, b: Double) -> Double {\n    let c = a + b\n    return c * 2\n}\n"
    let commented = """
        /// Returns (a + b) * 2, or 1 - 0 when a < b.
        func f(a: Double, b: Double) -> Double {
            // a - b would be wrong: 0 < 1
            let c = a + b /* not a * b */
            print("a + b = \\(a + b)", "1 < 2")
            return c * 2
        }

        """
    let plain = MutantGenerator.mutants(of: bare, file: "F.swift", exercise: "E").map(\.change)
    // The `print` call adds its own mutants (its arguments swapped, or standing in for it), and nothing else is added.
    let mutants = MutantGenerator.mutants(of: commented, file: "F.swift", exercise: "E").filter { !$0.original.hasPrefix("print(") }
    #expect(mutants.map(\.change) == plain)
    // Every comment and string of the file is still there, unchanged, in every mutant.
    let source = MutationSource(commented)
    func protected(_ source: MutationSource) -> [String] { (source.comments + source.tokens.filter { $0.kind == .string }).map(\.text).sorted() }
    for mutant in MutantGenerator.mutants(of: commented, file: "F.swift", exercise: "E") where !mutant.original.hasPrefix("print(") {
        #expect(protected(MutationSource(mutant.apply(to: source))) == protected(source), "\(mutant.change)")
    }
}

@Test func argumentValidationAndThrownErrorsAreLeftAlone() {
    let body = """
        guard n >= 0, x.isFinite else { throw ExerciseError.invalidArgument("n must be at least 0, got \\(n - 1)") }
        if let missing = names.first(where: { !known.contains($0) }) {
            throw ExerciseError.invalidArgument("no \\(missing)")
        }
        for k in 1..<(n + 1) where rates[k] == nil {
            throw ExerciseError.invalidArgument("missing rate " + String(k))
        }
        return n + 1
        """
    #expect(Set(mutatedLines(body)) == ["return n - 1", "return n", "return 1", "return n + 0"])
}

@Test func whatACatchClauseDoesIsLeftAlone() {
    let body = """
        do {
            return try f(x) * 2
        } catch {
            failure = error
            return x.squaredNorm() * 0
        }
        """
    #expect(Set(mutatedLines(body)) == ["return try f(x) / 2", "return try f(x)", "return try 2", "return try f(x) * 3", "return try x * 2"])
}

@Test func linesTheStubHandsOutAreNotMutated() {
    let source = "func f(a: Double, b: Double) -> Double {\n    let c = a + b\n    return c * 2\n}\n"
    let all = MutantGenerator.mutants(of: source, file: "F.swift", exercise: "E")
    let written = MutantGenerator.mutants(of: source, file: "F.swift", exercise: "E", handedOut: ["let c = a + b"])
    #expect(Set(all.map(\.line)) == [2, 3])
    #expect(!written.isEmpty && written == all.filter { $0.line == 3 }, "only the line the student writes")
}

@Test func noMutantOfTheCourseTouchesALineItsStubHandsOut() throws {
    for exercise in try PackageStructure.load(package: repository).gradedExercises {
        let mutants = try MutantGenerator.mutants(of: exercise, repository: repository)
        for file in Set(mutants.map(\.file)) {
            let stub = (try? String(contentsOf: repository.appendingPathComponent("Exercises/\(exercise)/\(file)"), encoding: .utf8)) ?? ""
            let handedOut = Set(stub.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            for mutant in mutants where mutant.file == file {
                let first = String(mutant.original.split(separator: "\n", omittingEmptySubsequences: false)[0])
                #expect(!handedOut.contains(first), "\(exercise)/\(file):\(mutant.line) is handed out")
            }
        }
    }
    // MetaObjective's stub hands out its initializer: every mutant is in the loop the student writes.
    let metaObjective = try MutantGenerator.mutants(of: "MetaObjective", repository: repository)
    #expect(!metaObjective.isEmpty && metaObjective.allSatisfy { $0.original.hasPrefix("for _ in") || $0.original.contains("innerCost") })
}

@Test func idsAreStableAcrossRunsAndEditsElsewhere() {
    let source = "func f(x: Double) -> Double {\n    var y = x\n    y = y * 2\n    y = y * 2\n    return y\n}\n"
    let first = MutantGenerator.mutants(of: source, file: "F.swift", exercise: "E")
    let again = MutantGenerator.mutants(of: source, file: "F.swift", exercise: "E")
    #expect(first.map(\.id) == again.map(\.id))
    #expect(Set(first.map(\.id)).count == first.count, "identical lines give different ids")
    #expect(first.allSatisfy { $0.id.count == 12 && $0.id.allSatisfy(\.isHexDigit) })
    let edited = MutantGenerator.mutants(of: "import Foundation\n\n// A note.\n" + source, file: "F.swift", exercise: "E")
    #expect(edited.map(\.id) == first.map(\.id))
    #expect(edited.map(\.line) == first.map { $0.line + 3 })
    #expect(MutantGenerator.mutants(of: source, file: "G.swift", exercise: "E").map(\.id) != first.map(\.id), "the file is part of the id")
}

@Test func aMutantAppliesToItsFileAndShowsItsLines() throws {
    let source = "func f(x: Double) -> Double {\n    return x - 1\n}\n"
    let mutants = MutantGenerator.mutants(of: source, file: "F.swift", exercise: "E")
    let plus = try #require(mutants.first { $0.mutation == .arithmetic })
    #expect(plus.line == 2 && plus.original == "return x - 1" && plus.mutated == "return x + 1" && plus.change == "`-` → `+`")
    #expect(plus.apply(to: MutationSource(source)) == "func f(x: Double) -> Double {\n    return x + 1\n}\n")
}

@Test func everyReferenceFileOfTheCourseHasMutants() throws {
    for exercise in try PackageStructure.load(package: repository).gradedExercises {
        let folder = repository.appendingPathComponent("Solutions/\(exercise)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        let mutants = try files.flatMap { file in
            MutantGenerator.mutants(of: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), file: file, exercise: exercise)
        }
        #expect(!mutants.isEmpty, "\(exercise)")
        #expect(Set(mutants.map(\.id)).count == mutants.count, "\(exercise): ids are unique")
    }
}
