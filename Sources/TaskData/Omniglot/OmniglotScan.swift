import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One character folder found on disk: its drawings, sorted by file name.
struct CharacterFolder: Sendable {
    let alphabet: String
    let character: String
    let files: [URL]
    var className: String { "\(alphabet)/\(character)" }
}

/// Finding `<Alphabet>/<character>/*.png` folders under the roots a user gives.
enum OmniglotScan {
    /// Every character folder under `roots`, sorted by alphabet then character.
    ///
    /// A root may hold alphabets directly (`root/<Alphabet>/<character>/*.png`) or folders of that
    /// layout (`root/images_background/<Alphabet>/...`). The same alphabet/character in two places
    /// counts once: the first root (in the order given, then by sorted folder name) wins, which
    /// removes the alphabets repeated across Omniglot's background subsets.
    static func characters(in roots: [URL]) throws -> [CharacterFolder] {
        guard !roots.isEmpty else { throw TaskDataError.invalidArgument("Omniglot.load: no folders given") }
        var found: [String: CharacterFolder] = [:]
        for root in roots {
            guard isDirectory(root) else { throw TaskDataError.missingFolder(path: root.path) }
            var inRoot: [CharacterFolder] = []
            collect(root, depth: 0, into: &inRoot)
            guard !inRoot.isEmpty else { throw TaskDataError.noCharacters(path: root.path) }
            for folder in inRoot where found[folder.className] == nil { found[folder.className] = folder }
        }
        return found.values.sorted { ($0.alphabet, $0.character) < ($1.alphabet, $1.character) }
    }

    /// Walks at most three levels down: a folder holding PNG files is a character, its parent the alphabet.
    private static func collect(_ folder: URL, depth: Int, into result: inout [CharacterFolder]) {
        let entries = sortedEntries(folder)
        let pngs = entries.filter { $0.pathExtension.lowercased() == "png" && !isDirectory($0) }
        if !pngs.isEmpty, depth >= 1 {
            result.append(CharacterFolder(alphabet: folder.deletingLastPathComponent().lastPathComponent,
                                          character: folder.lastPathComponent, files: pngs))
            return
        }
        guard depth < 3 else { return }
        for entry in entries where !entry.lastPathComponent.hasPrefix(".") && isDirectory(entry) {
            collect(entry, depth: depth + 1, into: &result)
        }
    }

    private static func sortedEntries(_ folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// A 64-bit FNV-1a hash of every file's path, size and modification time: the cache's key.
    static func fingerprint(_ characters: [CharacterFolder]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        func mix(_ value: Int64) { withUnsafeBytes(of: value.littleEndian) { mix($0) } }
        for folder in characters {
            for file in folder.files {
                mix(file.path.utf8)
                var info = stat()
                if stat(file.path, &info) == 0 {
                    mix(Int64(info.st_size))
                    #if canImport(Darwin)
                    mix(Int64(info.st_mtimespec.tv_sec)); mix(Int64(info.st_mtimespec.tv_nsec))
                    #else
                    mix(Int64(info.st_mtim.tv_sec)); mix(Int64(info.st_mtim.tv_nsec))
                    #endif
                }
            }
        }
        return hash
    }
}
