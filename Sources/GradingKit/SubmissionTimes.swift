import Foundation

/// When each student submitted: read from a CSV of `student id,time` or from the files' times.
public enum SubmissionTimes {
    /// Parses `id,time` lines (ISO 8601 times with a zone; a first line `id,time` or any other
    /// header whose time does not parse is skipped; blank lines and `#` comments are ignored).
    public static func parseCSV(_ text: String) throws -> [String: Date] {
        var times: [String: Date] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count == 2, !fields[0].isEmpty else {
                throw GradingError.invalidTimes("line \(index + 1): expected `student id,time`, got \"\(line)\"")
            }
            guard let date = parseTimestamp(fields[1]) else {
                if index == 0 && times.isEmpty { continue }  // a header
                throw GradingError.invalidTimes("line \(index + 1): \"\(fields[1])\" is not an ISO 8601 time with a zone, e.g. 2026-12-16T09:30:00Z")
            }
            guard times.updateValue(date, forKey: fields[0]) == nil else {
                throw GradingError.invalidTimes("line \(index + 1): student \(fields[0]) appears twice")
            }
        }
        return times
    }

    /// Loads a CSV file of submission times.
    public static func loadCSV(from url: URL) throws -> [String: Date] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw GradingError.invalidTimes("cannot read \(url.path)")
        }
        return try parseCSV(String(decoding: data, as: UTF8.self))
    }

    /// The submission's time from its files: a zip's own modification time, or the latest
    /// modification time of any regular file inside a folder (nil for an empty folder).
    public static func fileTime(of submission: URL) -> Date? {
        let fileManager = FileManager.default
        func modified(_ path: String) -> Date? {
            (try? fileManager.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: submission.path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else { return modified(submission.path) }
        var latest: Date?
        for case let relative as String in fileManager.enumerator(atPath: submission.path) ?? FileManager.DirectoryEnumerator() {
            let path = submission.appendingPathComponent(relative).path
            guard let attributes = try? fileManager.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let date = attributes[.modificationDate] as? Date else { continue }
            latest = max(latest ?? date, date)
        }
        return latest
    }
}
