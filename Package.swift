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

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "MAMLWorkbook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "workbook", targets: ["WorkbookCLI"]),
        .executable(name: "bench", targets: ["Bench"]),
    ] + libraries.map { .library(name: $0.name, targets: [$0.name]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: systemLibraries
        + libraries.map { .target(name: $0.name, dependencies: $0.dependencies) }
        + libraryTests.map { .testTarget(name: $0.name, dependencies: $0.dependencies, exclude: $0.excluded) }
        + [
            .executableTarget(
                name: "WorkbookCLI",
                dependencies: libraries.map { .target(name: $0.name) } + [argumentParser]),
            .executableTarget(
                name: "Bench",
                dependencies: ["Autodiff", "NeuralNetworks", "TaskData", "MetaLearning", "GraphDiagrams", argumentParser]),
        ],
    swiftLanguageModes: [.v6]
)
