// swift-tools-version: 6.0
import PackageDescription

/// System C libraries, found through pkg-config; the providers tell SwiftPM which Debian package to suggest.
let systemLibraries: [Target] = [
    .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
]

/// The library modules, each with the modules it may use. Dependencies point one way:
/// Autodiff <- NeuralNetworks <- MetaLearning <- Workbook; GraphDiagrams and TaskData use
/// Autodiff at most; Plots stands alone.
let libraries: [(name: String, dependencies: [Target.Dependency])] = [
    ("Autodiff", ["COpenBLAS"]),
    ("TaskData", ["Autodiff", "CPNG"]),
    ("NeuralNetworks", ["Autodiff"]),
    ("GraphDiagrams", ["Autodiff", "CGraphviz"]),
    ("Plots", []),
    ("MetaLearning", ["Autodiff", "NeuralNetworks", "TaskData"]),
    ("Workbook", ["Autodiff", "NeuralNetworks", "TaskData", "MetaLearning", "GraphDiagrams", "Plots"]),
]

/// A library module's target. The autodiff core is optimized in debug builds too: its kernels
/// are the inner loops of every test and of every student's training run, and unoptimized
/// generic SIMD code runs several times slower. Everything else, exercise code included, stays
/// unoptimized and debuggable. A tagged release leaves the flag out, because SwiftPM refuses
/// packages with unsafe flags as versioned dependencies.
func libraryTarget(_ library: (name: String, dependencies: [Target.Dependency])) -> Target {
    let release = Context.gitInformation?.currentTag != nil
    let optimizedInDebug: [SwiftSetting] = release ? [] : [.unsafeFlags(["-O"], .when(configuration: .debug))]
    return .target(name: library.name, dependencies: library.dependencies,
                   swiftSettings: library.name == "Autodiff" ? optimizedInDebug : [])
}

/// Test targets of the library, each testing the module it is named after; `excluded` lists
/// folders of data files the tests read from disk (golden outputs) rather than compile.
let libraryTests: [(name: String, dependencies: [Target.Dependency], excluded: [String])] = [
    ("AutodiffTests", ["Autodiff"], []),
    ("TaskDataTests", ["TaskData", "Autodiff"], []),
    ("NeuralNetworksTests", ["NeuralNetworks", "Autodiff"], []),
    ("GraphDiagramsTests", ["GraphDiagrams", "Autodiff"], ["Golden"]),
    ("PlotsTests", ["Plots"], []),
    ("MetaLearningTests", ["MetaLearning", "Autodiff", "NeuralNetworks", "TaskData"], []),
    ("WorkbookTests", ["Workbook", "Autodiff", "NeuralNetworks", "TaskData", "MetaLearning", "GraphDiagrams", "Plots"], []),
]

// MARK: - Exercises and grader (generated from the list of exercises)
//
// Each exercise `<E>` is one library module built from `Solutions/<E>` (the reference, the
// default) or from `Exercises/<E>` (the student's files) when `MAML_IMPLEMENTATION=exercises`.
// Its hidden tests are the test target `<E>Grading` (`Grading/<E>`), its visible checks the test
// target `<E>Checks` (`Exercises/<E>/Checks`). For grading one exercise in isolation the grader sets
// `MAML_GRADING_ONLY=1` (only the exercises and the library modules they use) and `MAML_EXERCISES=<E>,...` (a subset).

/// The exercises, in the order the course hands them out; `writtenAnswers` marks those with an
/// `ANSWERS.md` beside the stub and a `RUBRIC.md` beside the reference; `libraries` lists the
/// library modules the exercise may import. None may use MetaLearning: where an exercise is the
/// algorithm, the library's version must stay out of the student's reach.
let exerciseList: [(name: String, writtenAnswers: Bool, libraries: [String])] = [
    ("GDStep", false, ["Autodiff"]), ("MetaObjective", false, ["Autodiff"]),
    ("AdamEquivalences", true, ["Autodiff"]), ("ScaleInvariance", true, ["Autodiff"]),
    ("MAMLTraining", false, ["Autodiff"]), ("SineMAML", true, ["Autodiff"]),
    ("LearnedInnerRate", false, ["Autodiff"]), ("ReptileAndANIL", false, ["Autodiff"]),
    ("FOMAML", false, ["Autodiff", "NeuralNetworks", "TaskData", "Plots"]),
    ("TransferLearning", true, ["Autodiff", "NeuralNetworks", "TaskData", "Plots"]),
    ("MAMLPlusPlus", true, ["Autodiff", "NeuralNetworks", "TaskData"]),
]
let exercises = exerciseList.map(\.name)
/// The exercises with a long assessment: trained artefacts in an `Assessment/` folder beside the
/// code (the stub's holds only a README) and, in the full package, an executable `<E>Train`
/// built from `Exercises/<E>/Train` that trains with the exercise's code and writes that folder.
let assessedExercises = ["FOMAML", "TransferLearning"]

let environment = Context.environment
/// `Exercises` when graded against students' files, `Solutions` otherwise.
let exerciseImplementation = environment["MAML_IMPLEMENTATION"] == "exercises" ? "Exercises" : "Solutions"
/// True when the package is reduced to the exercises and the modules they use (the grader's work copies).
let gradingOnly = environment["MAML_GRADING_ONLY"] == "1"
/// The exercises built this time: all of them, or the comma-separated subset in `MAML_EXERCISES`.
let builtExercises = environment["MAML_EXERCISES"].map { list in
    exercises.filter { list.split(separator: ",").map(String.init).contains($0) }
} ?? exercises

/// The files of an exercise folder that are not Swift sources. Declared rather than listed from
/// disk: SwiftPM caches the evaluated manifest, so a listing would go stale.
func nonSwiftEntries(of name: String) -> [String] {
    let written = exerciseList.first { $0.name == name }?.writtenAnswers ?? false
    let assessment = assessedExercises.contains(name) ? ["Assessment"] : []
    if exerciseImplementation == "Exercises" {
        return ["Checks", "README.md"] + (written ? ["ANSWERS.md"] : []) + assessment
            + (assessedExercises.contains(name) ? ["Train"] : [])
    }
    return (written ? ["RUBRIC.md"] : []) + assessment
}

let exerciseTargets: [Target] = builtExercises.flatMap { name -> [Target] in
    [
        .target(name: name, dependencies: exerciseLibraries(of: name), path: "\(exerciseImplementation)/\(name)", exclude: nonSwiftEntries(of: name)),
        .testTarget(name: "\(name)Grading", dependencies: [.target(name: name), "GradingSupport"] + exerciseLibraries(of: name), path: "Grading/\(name)"),
        .testTarget(name: "\(name)Checks", dependencies: [.target(name: name)] + exerciseLibraries(of: name), path: "Exercises/\(name)/Checks"),
    ]
}

/// The library modules exercise `name` may import, as target dependencies.
func exerciseLibraries(of name: String) -> [Target.Dependency] {
    (exerciseList.first { $0.name == name }?.libraries ?? ["Autodiff"]).map { .target(name: $0) }
}

/// The name of a dependency on a target of this package (nil for products of other packages).
func targetName(of dependency: Target.Dependency) -> String? {
    switch dependency {
    case .targetItem(let name, _), .byNameItem(let name, _): name
    default: nil
    }
}

/// The library and system-library modules the built exercises need: their `libraries`, and
/// everything those use in turn, read from the `libraries` table.
let gradingModules: Set<String> = {
    var needed = Set<String>()
    var pending = builtExercises.flatMap { name in exerciseList.first { $0.name == name }?.libraries ?? [] }
    while let module = pending.popLast() {
        guard needed.insert(module).inserted else { continue }
        pending += (libraries.first { $0.name == module }?.dependencies ?? []).compactMap(targetName(of:))
    }
    return needed
}()

/// The trait every hidden test carries (`@Test(.graded)`), which makes a plain `swift test` end
/// with a points summary read from `Grading/manifest.json`.
let gradingSupportTargets: [Target] = [.target(name: "GradingSupport", path: "Grading/Support")]

let graderTargets: [Target] = [
    .target(name: "GradingKit"),
    .executableTarget(name: "GraderCLI", dependencies: ["GradingKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .testTarget(name: "GradingKitTests", dependencies: ["GradingKit", "GradingSupport"], exclude: ["Variants"]),
]

/// The reduced package of a grading work copy: the exercises and the library modules they need
/// (the autodiff core at least), nothing else.
let gradingTargets: [Target] = systemLibraries.filter { gradingModules.contains($0.name) }
    + libraries.filter { gradingModules.contains($0.name) }.map(libraryTarget)
    + exerciseTargets + gradingSupportTargets

// MARK: - End of the exercises and grader section

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

/// The training commands of the assessed exercises (full package only): `<E>Train` runs the
/// exercise's own training code, whichever implementation the exercise module is built from.
let trainerTargets: [Target] = builtExercises.filter(assessedExercises.contains).map { name in
    .executableTarget(name: "\(name)Train", dependencies: [.target(name: name)] + exerciseLibraries(of: name) + [argumentParser],
                      path: "Exercises/\(name)/Train")
}

/// Everything: the libraries, their tests, the tools, the exercises and the grader.
let fullTargets: [Target] = systemLibraries
    + libraries.map(libraryTarget)
    + libraryTests.map { .testTarget(name: $0.name, dependencies: $0.dependencies, exclude: $0.excluded) }
    + [
        .executableTarget(
            name: "WorkbookCLI",
            dependencies: libraries.map { .target(name: $0.name) } + builtExercises.map { .target(name: $0) } + [argumentParser],
            // `workbook run --impl student` checks that it runs the program built from the student's files.
            swiftSettings: exerciseImplementation == "Exercises" ? [.define("STUDENT_EXERCISES")] : []),
        .executableTarget(
            name: "Bench",
            dependencies: ["Autodiff", "NeuralNetworks", "TaskData", "MetaLearning", "GraphDiagrams", argumentParser]),
    ]
    + exerciseTargets + gradingSupportTargets
    + trainerTargets
    + graderTargets

let fullProducts: [Product] = [
    .executable(name: "workbook", targets: ["WorkbookCLI"]),
    .executable(name: "bench", targets: ["Bench"]),
    .executable(name: "grader", targets: ["GraderCLI"]),
] + libraries.map { .library(name: $0.name, targets: [$0.name]) }

// Only one `Package` may be created: the manifest reports the last one made.
let package = Package(
    name: "MAMLWorkbook",
    platforms: [.macOS(.v14)],
    products: gradingOnly ? [] : fullProducts,
    dependencies: gradingOnly ? [] : [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: gradingOnly ? gradingTargets : fullTargets,
    swiftLanguageModes: [.v6]
)
