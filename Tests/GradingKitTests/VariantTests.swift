import Foundation
import GradingKit
import Testing

@Test func aVariantPatchesItsReferenceFileAndKeepsTheRest() throws {
    let folder = try temporaryFolder("variant")
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("import A\n\nfunc f() -> Int {\n    return 1 - 2\n}\n", to: "reference/F.swift", in: folder)
    try write("func g() {}\n", to: "reference/G.swift", in: folder)
    try write("breaks: value\n\n--- F.swift\n func f() -> Int {\n-    return 1 - 2\n+    return 1 + 2\n }\n", to: "Variants/plus.variant", in: folder)
    let variant = try Variant.load(folder.appendingPathComponent("Variants/plus.variant"), exercise: "E")
    #expect(variant.breaks == ["value"] && variant.hunks.count == 1)
    try variant.write(reference: folder.appendingPathComponent("reference"), into: folder.appendingPathComponent("out"))
    #expect(try String(contentsOf: folder.appendingPathComponent("out/E/F.swift"), encoding: .utf8).contains("return 1 + 2"))
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/E/G.swift").path))
}

@Test func aPatchWhoseLinesAreNotFoundOnceIsRefused() throws {
    let folder = try temporaryFolder("variant-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("x = 1\nx = 1\n", to: "reference/F.swift", in: folder)
    try write("breaks: none\n\n--- F.swift\n-x = 1\n+x = 2\n", to: "twice.variant", in: folder)
    try write("breaks: value\n\n--- F.swift\n-y = 1\n+y = 2\n", to: "missing.variant", in: folder)
    for name in ["twice", "missing"] {
        let variant = try Variant.load(folder.appendingPathComponent("\(name).variant"), exercise: "E")
        #expect(throws: GradingError.self) { try variant.write(reference: folder.appendingPathComponent("reference"), into: folder.appendingPathComponent("out")) }
    }
    #expect(try Variant.load(folder.appendingPathComponent("twice.variant"), exercise: "E").breaks.isEmpty, "breaks: none is a correct variant")
    try write("--- F.swift\n-x\n+y\n", to: "nobreaks.variant", in: folder)
    #expect(throws: GradingError.self) { try Variant.load(folder.appendingPathComponent("nobreaks.variant"), exercise: "E") }
}

/// Every variant of the course applies to its reference (the patch's lines are there, once).
@Test func everyVariantOfTheCourseAppliesToItsReference() throws {
    let exercises = try PackageStructure.load(package: repository).gradedExercises
    let variants = try Variant.all(in: repository, exercises: exercises)
    #expect(variants.count >= 56)
    let folder = try temporaryFolder("course-variants")
    defer { try? FileManager.default.removeItem(at: folder) }
    for variant in variants {
        #expect(throws: Never.self, "\(variant.exercise)/\(variant.name)") {
            try variant.write(reference: repository.appendingPathComponent("Solutions/\(variant.exercise)"), into: folder)
        }
    }
}
