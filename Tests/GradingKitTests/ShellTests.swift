import Foundation
import GradingKit
import Testing

@Test func commandOutputAndStatusAreCaptured() throws {
    let result = try Shell.run(["sh", "-c", "echo hello; echo oops >&2; exit 3"], in: FileManager.default.temporaryDirectory, seconds: 10)
    #expect(result.status == 3)
    #expect(!result.timedOut)
    #expect(result.output.contains("hello") && result.output.contains("oops"))
}

/// The limit stops the command and its children (a background `sleep` holding the output open).
@Test func timeLimitStopsTheWholeProcessGroup() throws {
    let started = Date()
    let result = try Shell.run(["sh", "-c", "sleep 30 & sleep 30; wait"], in: FileManager.default.temporaryDirectory, seconds: 1)
    #expect(result.timedOut)
    #expect(Date().timeIntervalSince(started) < 10)
}

@Test func outputIsKeptToItsLastCharacters() throws {
    let result = try Shell.run(["sh", "-c", "yes x | head -c 100000; echo END"], in: FileManager.default.temporaryDirectory, seconds: 10, outputLimit: 50)
    #expect(result.output.count == 50)
    #expect(result.output.hasSuffix("END\n"))
}

/// `dd` allocates its block size at once: 256 MiB fits without a limit and fails under 64 MiB.
@Test func memoryLimitMakesLargeAllocationsFail() throws {
    let command = ["dd", "if=/dev/zero", "of=/dev/null", "bs=256M", "count=1"]
    let free = try Shell.run(command, in: FileManager.default.temporaryDirectory, seconds: 30)
    #expect(free.status == 0, "\(free.output)")
    let limited = try Shell.run(command, in: FileManager.default.temporaryDirectory, seconds: 30, memoryMegabytes: 64)
    #expect(limited.status != 0)
    #expect(limited.output.contains("memory"), "\(limited.output)")
}
