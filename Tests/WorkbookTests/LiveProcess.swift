import Foundation

/// The built `workbook` running in the background with its output in pipes (not a terminal),
/// its standard output read line by line as it arrives, each line with the time it came.
final class LiveProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var lines: [(seconds: Double, text: String)] = []
    private var pending = ""
    private var errorText = ""
    /// When the process was started.
    let started = Date()

    /// Starts `workbook` with `arguments`.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var executable = folder.appendingPathComponent("workbook")
        if !FileManager.default.fileExists(atPath: executable.path) {
            executable = folder.deletingLastPathComponent().appendingPathComponent("workbook")
        }
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.received(handle.availableData) }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock()
            self.errorText += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
        }
        try process.run()
    }

    private func received(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        pending += String(decoding: data, as: UTF8.self)
        while let newline = pending.firstIndex(of: "\n") {
            lines.append((Date().timeIntervalSince(started), String(pending[..<newline])))
            pending = String(pending[pending.index(after: newline)...])
        }
    }

    /// The lines so far, with the seconds since the start at which each arrived.
    var output: [(seconds: Double, text: String)] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    /// Standard error so far.
    var error: String {
        lock.lock()
        defer { lock.unlock() }
        return errorText
    }

    /// Waits up to `timeout` seconds for a line satisfying `condition`; returns it, or nil (at
    /// once when the process has ended without printing it).
    func waitForLine(timeout: Double, where condition: (String) -> Bool) -> (seconds: Double, text: String)? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = output.first(where: { condition($0.text) }) { return line }
            if !process.isRunning {
                Thread.sleep(forTimeInterval: 0.2)  // the last output reaches the handlers
                return output.first(where: { condition($0.text) })
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    /// Sends Ctrl-C's signal.
    func interrupt() { kill(process.processIdentifier, SIGINT) }

    /// A process left running by a failed expectation is killed, never left behind.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the end (killing the process after `timeout` seconds) and returns its status.
    /// The kill is SIGKILL: the child inherits the test thread's blocked signals, SIGTERM included.
    func finish(timeout: Double = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.2)  // the last output reaches the handlers
        return process.terminationStatus
    }
}
