import Foundation

/// Pairwise similarity of students' code, exercise by exercise, as MOSS measures it but without
/// a server: each student's files for an exercise are fingerprinted (`Fingerprints`: identifiers
/// and literals abstracted, comments dropped, k-gram winnowing); the fingerprints of the code the
/// course hands out (stub and given code) are left out, and so are those shared by more than half
/// the class (code everyone writes alike, such as the reference's obvious lines); what two
/// students still share is their own code in common.
public enum Similarity {
    /// What counts as common and what is flagged.
    public struct Settings: Sendable, Equatable {
        /// A pair is flagged from this score on (shared fingerprints over the smaller side's).
        public var threshold: Double
        /// …and only when it shares at least this many fingerprints (a short exercise's few
        /// fingerprints can coincide by chance).
        public var minimumShared: Int
        /// A fingerprint found in more than this share of the exercise's submissions (and in more
        /// than two) is common code and ignored.
        public var commonShare: Double

        /// Defaults: flagged from 0.5 with at least 3 shared fingerprints; common above half the class.
        public init(threshold: Double = 0.5, minimumShared: Int = 3, commonShare: Double = 0.5) {
            (self.threshold, self.minimumShared, self.commonShare) = (threshold, minimumShared, commonShare)
        }
    }

    /// One student's code for one exercise.
    public struct Work: Sendable {
        /// The student id.
        public var student: String
        /// The exercise.
        public var exercise: String
        /// The files, by name, with their text.
        public var files: [(name: String, text: String)]
        /// Every kept fingerprint with the index of its file.
        public var marks: [(file: Int, mark: Fingerprints.Mark)]

        /// Fingerprints `files`.
        public init(student: String, exercise: String, files: [(name: String, text: String)]) {
            (self.student, self.exercise, self.files) = (student, exercise, files)
            marks = files.enumerated().flatMap { index, file in Fingerprints(source: file.text).marks.map { (index, $0) } }
        }
    }

    /// A region both students have: one shared fingerprint, where it lies on each side.
    public struct Match: Sendable, Equatable {
        /// The fingerprint.
        public var hash: UInt64
        /// The file (index into the first student's files) and lines.
        public var fileA: Int, linesA: ClosedRange<Int>
        /// The file (index into the second student's files) and lines.
        public var fileB: Int, linesB: ClosedRange<Int>
    }

    /// Two students compared on one exercise.
    public struct Pair: Sendable {
        /// The exercise.
        public var exercise: String
        /// The two students' work (the first by id order).
        public var a: Work, b: Work
        /// Distinctive fingerprints each has (stub, given and common code left out).
        public var fingerprintsA: Int, fingerprintsB: Int
        /// The distinctive fingerprints both have.
        public var shared: Int
        /// shared / min(fingerprintsA, fingerprintsB): 1 when the smaller one's own code is all in the other.
        public var score: Double
        /// True when the score reaches the threshold with enough shared fingerprints.
        public var flagged: Bool
        /// Where the shared fingerprints lie.
        public var matches: [Match]
    }

    /// Reads each student's top-level `.swift` files of every exercise in `exercises` from the
    /// exercise folders under `root` (`root/<Exercise>/*.swift`).
    public static func works(student: String, root: URL, exercises: [String]) -> [Work] {
        exercises.compactMap { exercise in
            let files = LeakCheck.swiftFiles(in: root.appendingPathComponent(exercise), recursive: false)
            return files.isEmpty ? nil : Work(student: student, exercise: exercise, files: files)
        }
    }

    /// Every pair of students per exercise, ranked: flagged pairs first, then by score, then by
    /// shared fingerprints (a high score on one or two fingerprints is weak evidence).
    /// `handedOut` gives the fingerprints of the stub and given code of each exercise.
    public static func compare(_ works: [Work], handedOut: (String) -> Set<UInt64>, settings: Settings = Settings()) -> [Pair] {
        var pairs: [Pair] = []
        for exercise in Array(Set(works.map(\.exercise))).sorted() {
            let group = works.filter { $0.exercise == exercise }.sorted { $0.student < $1.student }
            let stub = handedOut(exercise)
            var frequency: [UInt64: Int] = [:]
            let own = group.map { Set($0.marks.map(\.mark.hash)).subtracting(stub) }
            for hashes in own { for hash in hashes { frequency[hash, default: 0] += 1 } }
            let limit = max(2.0, settings.commonShare * Double(group.count))
            let distinctive = own.map { $0.filter { Double(frequency[$0] ?? 0) <= limit } }
            for i in group.indices {
                for j in group.indices where j > i {
                    let common = distinctive[i].intersection(distinctive[j])
                    let smaller = min(distinctive[i].count, distinctive[j].count)
                    let score = smaller == 0 ? 0 : Double(common.count) / Double(smaller)
                    pairs.append(Pair(exercise: exercise, a: group[i], b: group[j], fingerprintsA: distinctive[i].count,
                                      fingerprintsB: distinctive[j].count, shared: common.count, score: score,
                                      flagged: score >= settings.threshold && common.count >= settings.minimumShared,
                                      matches: matches(group[i], group[j], common)))
                }
            }
        }
        return pairs.sorted { x, y in
            if x.flagged != y.flagged { return x.flagged }
            if x.score != y.score { return x.score > y.score }
            if x.shared != y.shared { return x.shared > y.shared }
            return (x.exercise, x.a.student, x.b.student) < (y.exercise, y.a.student, y.b.student)
        }
    }

    /// Where each shared fingerprint lies in both works (its first place on each side).
    static func matches(_ a: Work, _ b: Work, _ shared: Set<UInt64>) -> [Match] {
        var inB: [UInt64: (Int, Fingerprints.Mark)] = [:]
        for (file, mark) in b.marks where shared.contains(mark.hash) && inB[mark.hash] == nil { inB[mark.hash] = (file, mark) }
        var seen = Set<UInt64>()
        return a.marks.compactMap { file, mark in
            guard shared.contains(mark.hash), seen.insert(mark.hash).inserted, let (otherFile, other) = inB[mark.hash] else { return nil }
            return Match(hash: mark.hash, fileA: file, linesA: mark.line...mark.endLine, fileB: otherFile, linesB: other.line...other.endLine)
        }
    }

    /// `GDStep.swift:12-14, 20`: the lines of one side's matches, joined into ranges per file.
    public static func lines(_ pair: Pair, side: KeyPath<Match, Int>, _ lines: KeyPath<Match, ClosedRange<Int>>, work: Work) -> String {
        var byFile: [Int: Set<Int>] = [:]
        for match in pair.matches { byFile[match[keyPath: side], default: []].formUnion(match[keyPath: lines]) }
        return byFile.keys.sorted().map { file in
            let sorted = byFile[file]!.sorted()
            var ranges: [String] = []
            var start = sorted[0], end = sorted[0]
            for line in sorted.dropFirst() {
                if line == end + 1 { end = line; continue }
                ranges.append(start == end ? "\(start)" : "\(start)-\(end)")
                (start, end) = (line, line)
            }
            ranges.append(start == end ? "\(start)" : "\(start)-\(end)")
            return "\(work.files[file].name):\(ranges.joined(separator: ","))"
        }.joined(separator: " ")
    }
}
