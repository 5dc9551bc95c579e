import Foundation
import GradingKit
import Testing

@Test func csvTimesAreReadWithAHeaderAndComments() throws {
    let times = try SubmissionTimes.parseCSV("id,time\n# resubmitted\nalice,2026-12-15T10:00:00Z\nbob, 2026-12-16 09:30:00+01:00\n\n")
    #expect(times.count == 2)
    #expect(times["alice"] == parseTimestamp("2026-12-15T10:00:00Z"))
    #expect(times["bob"] == parseTimestamp("2026-12-16T08:30:00Z"))
}

@Test func badCSVLinesAreNamed() {
    #expect(throws: GradingError.invalidTimes("line 2: \"yesterday\" is not an ISO 8601 time with a zone, e.g. 2026-12-16T09:30:00Z")) {
        try SubmissionTimes.parseCSV("alice,2026-12-15T10:00:00Z\nbob,yesterday")
    }
    #expect(throws: GradingError.invalidTimes("line 2: student alice appears twice")) {
        try SubmissionTimes.parseCSV("alice,2026-12-15T10:00:00Z\nalice,2026-12-15T11:00:00Z")
    }
    #expect(throws: GradingError.invalidTimes("line 1: expected `student id,time`, got \"alice\"")) {
        try SubmissionTimes.parseCSV("alice")
    }
}

@Test func aFolderIsAsLateAsItsNewestFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grader-times-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("GDStep"), withIntermediateDirectories: true)
    let old = folder.appendingPathComponent("GDStep/GDStep.swift"), new = folder.appendingPathComponent("notes.md")
    try "a".write(to: old, atomically: true, encoding: .utf8)
    try "b".write(to: new, atomically: true, encoding: .utf8)
    let newest = Date(timeIntervalSince1970: 2_000_000_000)
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: old.path)
    try FileManager.default.setAttributes([.modificationDate: newest], ofItemAtPath: new.path)
    #expect(SubmissionTimes.fileTime(of: folder) == newest)
    #expect(SubmissionTimes.fileTime(of: folder.appendingPathComponent("missing")) == nil)
}
