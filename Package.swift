// swift-tools-version: 6.2
import Foundation
import PackageDescription

// The package builds three ways, decided by what is on disk (and one documented switch):
// - the course repository (everything): the library, the tools, the exercises built from the
//   reference in `Solutions/`, their hidden tests in `Grading/`;
// - the same with `MAML_IMPLEMENTATION=exercises`: the exercises built from `Exercises/` instead
//   (how an instructor runs the hidden tests against students' files with plain `swift test`);
// - the student bundle, which has no `Solutions/`, no `Grading/` and no instructor-only modules:
//   the exercises build from `Exercises/` and no target needs a folder that is not there.
// The grader's work copies add `MAML_GRADING_ONLY=1` (only the exercises and what they use),
// `MAML_EXERCISES=A,B` (only those exercises: a submission's exercises build together, and one
// on its own when its compiler errors must be told apart from the others'), and
// `MAML_PROBES_ONLY=1` (no judges: a work copy holds none); the grader's judge build adds
// `MAML_JUDGES_ONLY=1` (the judges alone: they link neither the exercises nor their probes).

let environment = Context.environment

/// True when `path` (relative to the package) exists.
func exists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: Context.packageDirectory + "/" + path)
}

/// System C libraries, found through pkg-config; the providers tell SwiftPM which Debian package to suggest.
let systemLibraries: [Target] = [
    .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
]

/// The library modules (`Sources/<name>`), each with the modules it may use. Dependencies point
/// one way: Autodiff <- NeuralNetworks <- MetaLearning <- Workbook; GraphDiagrams and TaskData
/// use Autodiff at most; Plots stands alone; Notebook (what chapters write pages with) uses the
/// core libraries, never MetaLearning. A module whose folder is absent (the student bundle has no
/// MetaLearning) is left out, with everything that depends on it.
let libraryTable: [(name: String, dependencies: [String])] = [
    ("Autodiff", ["COpenBLAS"]),
    ("TaskData", ["Autodiff", "CPNG"]),
    ("NeuralNetworks", ["Autodiff"]),
    ("GraphDiagrams", ["Autodiff", "CGraphviz"]),
    ("Plots", []),
    ("Notebook", ["Autodiff", "TaskData", "GraphDiagrams", "Plots"]),
    ("MetaLearning", ["Autodiff", "NeuralNetworks", "TaskData"]),
    ("Workbook", ["Autodiff", "NeuralNetworks", "TaskData", "MetaLearning", "GraphDiagrams", "Plots", "Notebook"]),
]
let systemLibraryNames = Set(systemLibraries.map(\.name))
/// The library modules present on disk whose dependencies are present too, in table order.
let libraries = libraryTable.reduce(into: [(name: String, dependencies: [String])]()) { kept, library in
    let present = Set(kept.map(\.name)).union(systemLibraryNames)
    if exists("Sources/\(library.name)") && library.dependencies.allSatisfy(present.contains) { kept.append(library) }
}
let libraryNames = Set(libraries.map(\.name))

/// A library module's target. The autodiff core is optimized in debug builds too: its kernels
/// are the inner loops of every test, of every student's training run and of a researcher's
/// first debug build, and unoptimized generic SIMD code runs tens of times slower (a 20-way
/// Omniglot evaluation from a dependent's debug build: 44 s for three episodes instead of 1 s).
/// Everything else, exercise code included, stays unoptimized and debuggable. Tools version
/// 6.2 is what lets versioned dependents keep the flag: older SwiftPM refuses unsafe flags in
/// a dependency pinned to a version.
func libraryTarget(_ library: (name: String, dependencies: [String])) -> Target {
    let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
    return .target(name: library.name, dependencies: library.dependencies.map { .target(name: $0) },
                   swiftSettings: library.name == "Autodiff" ? optimizedInDebug : [])
}

/// Test targets of the library, each testing the module it is named after (and kept only when
/// all of those are present); `excluded` lists folders of data files the tests read from disk.
let libraryTests: [(name: String, dependencies: [String], excluded: [String])] = [
    ("AutodiffTests", ["Autodiff"], []),
    ("TaskDataTests", ["TaskData", "Autodiff"], []),
    ("NeuralNetworksTests", ["NeuralNetworks", "Autodiff"], []),
    ("GraphDiagramsTests", ["GraphDiagrams", "Autodiff"], ["Golden"]),
    ("PlotsTests", ["Plots"], []),
    ("MetaLearningTests", ["MetaLearning", "Autodiff", "NeuralNetworks", "TaskData"], []),
    ("WorkbookTests", ["Workbook", "Notebook", "Autodiff", "NeuralNetworks", "TaskData", "MetaLearning", "GraphDiagrams", "Plots"], []),
].filter { exists("Tests/\($0.name)") && $0.dependencies.allSatisfy(libraryNames.contains) }

// MARK: - Exercises
//
// Exercise `<E>` is one module: the files a student writes (top-level `.swift` files of
// `Exercises/<E>`, or their reference versions in `Solutions/<E>`) plus the given code every
// build shares (`Exercises/<E>/Given`, written once and linked from `Solutions/<E>/Given`). Beside it: the visible checks
// (`<E>Checks`, `Exercises/<E>/Checks`) and, in the course repository, the hidden tests as two
// programs: `<E>Probes` (`Grading/<E>/Probes`), which calls the student's functions on inputs it
// is sent and reports what they returned, and `<E>Judge` (`Grading/<E>`), which draws the inputs
// from a seed, decides each part from the reported values and declares the parts' points. The
// judge never links student code; see `Grading/README.md`.

/// The exercises, in the order the course hands them out; `libraries` lists the library modules
/// the exercise may import. None may use MetaLearning: where an exercise is the algorithm, the
/// library's version must stay out of the student's reach.
let exerciseList: [(name: String, libraries: [String])] = [
    ("GDStep", ["Autodiff"]), ("MetaObjective", ["Autodiff"]),
    ("AdamEquivalences", ["Autodiff"]), ("ScaleInvariance", ["Autodiff"]),
    ("MAMLTraining", ["Autodiff"]), ("SineMAML", ["Autodiff"]),
    ("LearnedInnerRate", ["Autodiff"]), ("ReptileAndANIL", ["Autodiff"]),
    ("FOMAML", ["Autodiff", "NeuralNetworks", "TaskData", "Plots"]),
    ("TransferLearning", ["Autodiff", "NeuralNetworks", "TaskData", "Plots"]),
    ("MAMLPlusPlus", ["Autodiff", "NeuralNetworks", "TaskData"]),
]

/// `Solutions` when the reference is built (the default wherever it exists), `Exercises` when the
/// students' files are: in the student bundle, or with `MAML_IMPLEMENTATION=exercises`.
let exerciseImplementation = environment["MAML_IMPLEMENTATION"] == "exercises" || !exists("Solutions") ? "Exercises" : "Solutions"
/// True when the hidden tests are on disk (the course repository, a grader's work copy).
let hasHiddenTests = exists("Grading/Runtime")
/// True when the package is reduced to the exercises and the modules they use (the grader's work copies).
let gradingOnly = environment["MAML_GRADING_ONLY"] == "1"
/// True in a grader's work copy, which holds the probes but not the judges (`MAML_PROBES_ONLY=1`).
let probesOnly = environment["MAML_PROBES_ONLY"] == "1"
/// True in the grader's judge build, which needs the judges and nothing of the exercises (`MAML_JUDGES_ONLY=1`).
let judgesOnly = environment["MAML_JUDGES_ONLY"] == "1"
/// The exercises built this time: all of them, or the comma-separated subset in `MAML_EXERCISES`.
let builtExercises = exerciseList.filter { exercise in
    environment["MAML_EXERCISES"].map { $0.split(separator: ",").map(String.init).contains(exercise.name) } ?? true
}

/// The exercise module: the student's files and the given code, or the reference and the given code.
func exerciseTarget(_ exercise: (name: String, libraries: [String])) -> Target {
    let name = exercise.name
    let dependencies: [Target.Dependency] = ["ExerciseSupport"] + exercise.libraries.map { .target(name: $0) }
    if exerciseImplementation == "Exercises" {
        let notSources = ["Checks", "Train", "Assessment", "README.md", "ANSWERS.md"].filter { exists("Exercises/\(name)/\($0)") }
        return .target(name: name, dependencies: dependencies, path: "Exercises/\(name)", exclude: notSources)
    }
    // `Solutions/<E>/Given` is a link to `Exercises/<E>/Given`: the given code exists once.
    let notSources = ["Assessment", "RUBRIC.md"].filter { exists("Solutions/\(name)/\($0)") }
    return .target(name: name, dependencies: dependencies, path: "Solutions/\(name)", exclude: notSources)
}

/// Every target of one exercise: its module, its visible checks and, with the hidden tests on
/// disk, its probe and judge programs.
func exerciseTargets(_ exercise: (name: String, libraries: [String])) -> [Target] {
    let name = exercise.name
    let libraries = exercise.libraries.map { Target.Dependency.target(name: $0) }
    var targets = judgesOnly ? [] : [
        exerciseTarget(exercise),
        .testTarget(name: "\(name)Checks", dependencies: [.target(name: name), "ExerciseSupport"] + libraries,
                    path: "Exercises/\(name)/Checks"),
    ]
    // Exercises on images share the hidden tests' episode records (`GradingImages`).
    let runtime: [Target.Dependency] = ["GradingRuntime"] + (exercise.libraries.contains("TaskData") ? ["GradingImages"] : [])
    if hasHiddenTests && !judgesOnly {
        targets.append(.executableTarget(name: "\(name)Probes", dependencies: [.target(name: name), "ExerciseSupport"] + runtime + libraries,
                                         path: "Grading/\(name)/Probes"))
    }
    // A grader's work copy holds the probes (to build them with the student's files) but never the judges.
    if hasHiddenTests && !probesOnly {
        targets.append(.executableTarget(name: "\(name)Judge", dependencies: runtime + libraries,
                                         path: "Grading/\(name)", exclude: ["Probes", "Variants"]))
    }
    return targets
}

/// The exercises with a long assessment: trained artefacts in an `Assessment/` folder beside the
/// code (the stub's holds only a README) and an executable `<E>Train` built from
/// `Exercises/<E>/Train` that trains with the exercise's code and writes that folder.
let assessedExercises = ["FOMAML", "TransferLearning"]

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

/// The error type every exercise throws, and the hidden tests' runtime (the message format between
/// the judge and the probes, the checks that compare values, the programs' entry points).
let courseSupportTargets: [Target] = [.target(name: "ExerciseSupport", path: "Exercises/Support")]
    + (hasHiddenTests ? [
        .target(name: "GradingRuntime", dependencies: ["Autodiff"], path: "Grading/Runtime"),
    ] : [])
    + (hasHiddenTests && builtExercises.contains { $0.libraries.contains("TaskData") } ? [
        .target(name: "GradingImages", dependencies: ["GradingRuntime", "Autodiff", "NeuralNetworks", "TaskData"], path: "Grading/Images"),
    ] : [])

/// The library and system-library modules the built exercises need, and everything those use.
let gradingModules: Set<String> = {
    var needed: Set<String> = ["Autodiff"]
    var pending = builtExercises.flatMap(\.libraries) + ["Autodiff"]
    while let module = pending.popLast() {
        needed.insert(module)
        pending += (libraries.first { $0.name == module }?.dependencies ?? []).filter { !needed.contains($0) }
    }
    return needed
}()

// MARK: - The two package shapes

/// A grader's work copy: the exercises and the library modules they need, nothing else.
let gradingTargets: [Target] = systemLibraries.filter { gradingModules.contains($0.name) }
    + libraries.filter { gradingModules.contains($0.name) }.map(libraryTarget)
    + courseSupportTargets + builtExercises.flatMap(exerciseTargets)

/// The training commands of the assessed exercises: `<E>Train` runs the exercise's own training code.
let trainerTargets: [Target] = builtExercises.filter { assessedExercises.contains($0.name) && exists("Exercises/\($0.name)/Train") }.map { exercise in
    .executableTarget(name: "\(exercise.name)Train",
                      dependencies: [.target(name: exercise.name), "ExerciseSupport"] + exercise.libraries.map { .target(name: $0) } + [argumentParser],
                      path: "Exercises/\(exercise.name)/Train")
}

/// The student workbook's chapters (`Sources/ExerciseChapters`): built on the exercise modules,
/// the core libraries and Notebook, never on MetaLearning or Workbook; kept when every exercise is built.
let exerciseChapterLibraries = ["Notebook", "Autodiff", "NeuralNetworks", "TaskData", "Plots", "GraphDiagrams"]
let exerciseChapterTargets: [Target] = exists("Sources/ExerciseChapters") && builtExercises.count == exerciseList.count
    && exerciseChapterLibraries.allSatisfy(libraryNames.contains) ? [
        .target(name: "ExerciseChapters",
                dependencies: (exerciseChapterLibraries + exerciseList.map(\.name) + ["ExerciseSupport"]).map { .target(name: $0) }),
    ] : []
/// What the command lines share (one-line errors, number parsing), kept when Notebook is built.
let commandLineSupport: [Target] = exists("Sources/CommandLineSupport") && libraryNames.contains("Notebook")
    ? [.target(name: "CommandLineSupport", dependencies: ["Notebook", argumentParser])] : []
/// The modules the tools may use: the libraries, the command-line support, the grader's library
/// and, when built, the student workbook's chapters.
let toolModules = libraryNames.union(exerciseChapterTargets.map(\.name)).union(commandLineSupport.map(\.name))
    .union(exists("Sources/GradingKit") ? ["GradingKit"] : [])

/// The command-line tools, each kept when its folder and the modules it uses are present; the
/// third entry says whether the tool links the exercise modules.
let toolTargets: [Target] = [
    ("WorkbookCLI", ["Autodiff", "NeuralNetworks", "TaskData", "MetaLearning", "GraphDiagrams", "Plots", "Notebook", "Workbook",
                     "CommandLineSupport"], false),
    ("ExerciseWorkbookCLI", ["ExerciseChapters", "CommandLineSupport"] + exerciseChapterLibraries, true),
    ("Bench", ["Autodiff", "NeuralNetworks", "TaskData", "MetaLearning", "GraphDiagrams", "GradingKit"], false),
].filter { exists("Sources/\($0.0)") && $0.1.allSatisfy(toolModules.contains) }.map { tool in
    .executableTarget(
        name: tool.0,
        dependencies: tool.1.map { .target(name: $0) } + (tool.2 ? builtExercises.map { .target(name: $0.name) } : []) + [argumentParser],
        // `run --impl student` checks that it runs the program built from the student's files.
        swiftSettings: tool.2 && exerciseImplementation == "Exercises" ? [.define("STUDENT_EXERCISES")] : [])
}
/// The student workbook's tests: every chapter with the reference functions, a throwing stub and wrong functions.
let exerciseChapterTests: [Target] = exists("Tests/ExerciseChaptersTests") && toolTargets.contains { $0.name == "ExerciseWorkbookCLI" }
    ? [.testTarget(name: "ExerciseChaptersTests", dependencies: ["ExerciseChapters", "ExerciseWorkbookCLI"]
                   + (exerciseChapterLibraries + exerciseList.map(\.name) + ["ExerciseSupport"]).map { .target(name: $0) })]
    : []

/// The grader: points, isolation, reports, release and Gradescope. It knows nothing of ML.
let graderTargets: [Target] = [
    .target(name: "GradingKit"),
    .executableTarget(name: "GraderCLI", dependencies: ["GradingKit", argumentParser]),
] + (exists("Tests/GradingKitTests") ? [.testTarget(name: "GradingKitTests", dependencies: ["GradingKit"])] : [])
    // `swift test` grades the built exercises (the reference by default) part by part through
    // their probe and judge programs, and ends with the points table.
    + (hasHiddenTests && exists("Grading/Tests") ? [.testTarget(name: "GradingTests", dependencies: ["GradingKit"], path: "Grading/Tests")] : [])

/// Everything: the libraries, their tests, the tools, the exercises and the grader.
let fullTargets: [Target] = systemLibraries
    + libraries.map(libraryTarget)
    + libraryTests.map { .testTarget(name: $0.name, dependencies: $0.dependencies.map { .target(name: $0) }, exclude: $0.excluded) }
    + exerciseChapterTargets + exerciseChapterTests + commandLineSupport
    + toolTargets
    + courseSupportTargets + builtExercises.flatMap(exerciseTargets)
    + trainerTargets
    + graderTargets

/// The student workbook is `workbook` in the student bundle, and `exercise-workbook` beside the lecture workbook.
let lectureWorkbookBuilt = fullTargets.contains { $0.name == "WorkbookCLI" }
let toolProducts: [Product] = [("workbook", "WorkbookCLI"), (lectureWorkbookBuilt ? "exercise-workbook" : "workbook", "ExerciseWorkbookCLI"),
                               ("bench", "Bench"), ("grader", "GraderCLI")]
    .filter { product in fullTargets.contains { $0.name == product.1 } }
    .map { .executable(name: $0.0, targets: [$0.1]) }

// Only one `Package` may be created: the manifest reports the last one made.
let package = Package(
    name: "MAMLWorkbook",
    platforms: [.macOS(.v14)],
    products: gradingOnly ? [] : toolProducts + libraries.map { .library(name: $0.name, targets: [$0.name]) },
    dependencies: gradingOnly ? [] : [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: gradingOnly ? gradingTargets : fullTargets,
    swiftLanguageModes: [.v6]
)
