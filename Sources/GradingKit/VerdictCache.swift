import Foundation

/// Verdicts on handed-in files, remembered for the run: a part decided from files alone (a long
/// assessment's weights, curve, metrics) gets the same verdict for the same files and seed, so
/// a class of copies of the same folder, or `grader validate`'s many code variants beside one
/// reference folder, re-evaluate those weights once. A hit is checked byte for byte against the
/// files it was made from, so two different folders never share a verdict.
public final class VerdictCache: @unchecked Sendable {
    private struct Entry {
        var files: [String: Data]
        var verdict: JudgeVerdict
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// An empty cache.
    public init() {}

    /// The verdict on `part` of `exercise` for `seed` and the files of `folder`, from the cache or from `decide`.
    func verdict(exercise: String, part: String, seed: UInt64, folder: URL?, decide: () throws -> JudgeVerdict) throws -> JudgeVerdict {
        let files = folder.map(Self.contents(of:)) ?? [:]
        let key = "\(exercise)/\(part)/\(seed)/" + files.keys.sorted().map { "\($0):\(files[$0]!.count)" }.joined(separator: ",")
        if let entry = lock.withLock({ entries[key] }), entry.files == files { return entry.verdict }
        let verdict = try decide()
        lock.withLock { entries[key] = Entry(files: files, verdict: verdict) }
        return verdict
    }

    /// Every file under `folder`, by relative path.
    static func contents(of folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        for relative in FileManager.default.subpaths(atPath: folder.path) ?? [] {
            let url = folder.appendingPathComponent(relative)
            if !WorkCopy.isFolder(url), let data = try? Data(contentsOf: url) { files[relative] = data }
        }
        return files
    }
}
