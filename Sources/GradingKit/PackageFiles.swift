import Foundation

/// The files of the course repository that belong in a copy of it: those git tracks or would
/// track (`git ls-files --cached --others --exclude-standard`, so build folders and ignored
/// files stay out), or, outside a git checkout, every file not under a hidden or `.build` folder.
public enum PackageFiles {
    /// Relative paths of the repository's files, sorted; only files that exist.
    public static func list(repository: URL) throws -> [String] {
        let fileManager = FileManager.default
        let git = try? Shell.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], in: repository, seconds: 60, outputLimit: 10_000_000)
        var paths: [String]
        if let git, git.status == 0, fileManager.fileExists(atPath: repository.appendingPathComponent(".git").path) {
            paths = git.output.split(separator: "\n").map(String.init)
        } else {
            paths = []
            for case let relative as String in fileManager.enumerator(atPath: repository.path) ?? FileManager.DirectoryEnumerator() {
                let components = relative.split(separator: "/")
                guard !components.contains(where: { $0.hasPrefix(".") && $0 != ".gitignore" }) else { continue }
                paths.append(relative)
            }
        }
        // Files and links (a link such as `Solutions/<E>/Given` is kept as a link), not folders.
        return paths.filter { path in
            let type = (try? fileManager.attributesOfItem(atPath: repository.appendingPathComponent(path).path))?[.type] as? FileAttributeType
            return type == .typeRegular || type == .typeSymbolicLink
        }.sorted()
    }

    /// Copies the relative `paths` from `repository` into `destination`, keeping their folders.
    public static func copy(_ paths: [String], from repository: URL, to destination: URL) throws {
        let fileManager = FileManager.default
        for path in paths {
            let target = destination.appendingPathComponent(path)
            try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? fileManager.removeItem(at: target)
            let source = repository.appendingPathComponent(path)
            if let destination = try? fileManager.destinationOfSymbolicLink(atPath: source.path) {
                try fileManager.createSymbolicLink(atPath: target.path, withDestinationPath: destination)
            } else {
                try fileManager.copyItem(at: source, to: target)
            }
        }
    }

    /// True when `path` is `folder` itself or lies inside it.
    static func path(_ path: String, isIn folder: String) -> Bool {
        path == folder || path.hasPrefix(folder + "/")
    }
}
