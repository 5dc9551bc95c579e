import Foundation

/// The package's targets as SwiftPM reports them (`swift package dump-package`), never read
/// from the text of `Package.swift`: which exercises there are, in course order, and which
/// folders a build of some of them needs.
public struct PackageStructure: Sendable {
    /// One target: its name, kind, folder and the targets it depends on.
    public struct Target: Decodable, Sendable {
        /// The target's name.
        public var name: String
        /// `regular`, `executable`, `test` or `system`.
        public var type: String
        /// Its folder relative to the package, when not the default `Sources/<name>` (`Tests/<name>` for tests).
        public var path: String?
        /// The names of the targets (or products) it depends on.
        public var dependencyNames: [String]

        private enum CodingKeys: String, CodingKey { case name, type, path, dependencies }

        /// Decodes a target of `dump-package`'s JSON; a dependency is `{"target": [name, …]}`,
        /// `{"byName": [name, …]}` or `{"product": [name, …]}`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            type = try container.decode(String.self, forKey: .type)
            path = try container.decodeIfPresent(String.self, forKey: .path)
            let dependencies = try container.decode([[String: [Dependency?]]].self, forKey: .dependencies)
            dependencyNames = dependencies.compactMap { entry in
                entry.first { $0.key != "product" }.flatMap { $0.value.first??.name }
            }
        }

        /// The folder of its sources, relative to the package.
        public var folder: String { path ?? (type == "test" ? "Tests/\(name)" : "Sources/\(name)") }
    }

    /// One element of a dependency's array: the first is the name; the others are conditions.
    struct Dependency: Decodable, Sendable {
        var name: String?
        init(from decoder: any Decoder) throws {
            name = try? decoder.singleValueContainer().decode(String.self)
        }
    }

    /// The targets, in the order `Package.swift` declares them.
    public let targets: [Target]

    /// The structure of the package at `folder`, as its manifest evaluates with `environment`
    /// added to this process's environment.
    public static func load(package folder: URL, environment: [String: String] = [:]) throws -> PackageStructure {
        // A scratch folder of its own: the package's `.build` may be locked by a build or test run
        // in progress (this very test run, say), and dumping the manifest needs nothing from it.
        let scratch = try Shell.privateFolder(prefix: "grader-dump")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dump = try Shell.run(["swift", "package", "--manifest-cache", "none", "--scratch-path", scratch.path, "dump-package"], in: folder,
                                 environment: environment,
                                 seconds: 300, outputLimit: 50_000_000, separateErrors: true)
        guard dump.status == 0 else {
            throw GradingError.commandFailed("swift package dump-package in \(folder.path): \(Scoring.truncated(dump.errors))")
        }
        return try decode(Data(dump.output.utf8))
    }

    /// Decodes `dump-package`'s JSON.
    public static func decode(_ data: Data) throws -> PackageStructure {
        struct Dump: Decodable { var targets: [Target] }
        do {
            return PackageStructure(targets: try JSONDecoder().decode(Dump.self, from: data).targets)
        } catch {
            throw GradingError.commandFailed("cannot read the package structure: \(error)")
        }
    }

    /// A structure of `targets`.
    public init(targets: [Target]) { self.targets = targets }

    /// The target named `name`, if any.
    public func target(_ name: String) -> Target? { targets.first { $0.name == name } }

    /// The exercises: library targets with visible checks (`<E>Checks`), in course order.
    public var exercises: [String] {
        let names = Set(targets.map(\.name))
        return targets.filter { $0.type == "regular" && names.contains("\($0.name)Checks") }.map(\.name)
    }

    /// The exercises whose hidden tests are here (a judge program `<E>Judge`), in course order.
    /// Every exercise has one in the course repository (the manifest declares them all).
    public var gradedExercises: [String] {
        let names = Set(targets.map(\.name))
        return exercises.filter { names.contains("\($0)Judge") }
    }

    /// The folders of `roots` and of every target they depend on, directly or not, sorted.
    public func folders(reachableFrom roots: [String]) -> [String] {
        var seen = Set<String>()
        var pending = roots
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let target = target(name) else { continue }
            pending += target.dependencyNames
        }
        return seen.compactMap { target($0)?.folder }.sorted()
    }
}
