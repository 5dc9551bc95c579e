import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A probe: calls the student's functions on a part's inputs and reports what they returned.
public typealias Probe = @Sendable (_ inputs: Record) throws -> Record

/// What a probe's report may hold besides the values it observed.
public enum ProbeReport {
    /// The key under which the probe program records an error the student's code threw.
    public static let thrownKey = "thrown"
    /// The file descriptor the grader opens for the report (standard output is the student's).
    public static let reportDescriptor: Int32 = 3
}

/// The entry point of an exercise's probe program (`<E>Probes`), the only program that runs
/// student code. Usage: `<E>Probes <part>` with the part's inputs (JSON, as `<E>Judge inputs`
/// prints them) on standard input; the report goes to file descriptor 3 when it is open (the
/// grader's channel), else to standard output. Whatever the student's code prints goes to
/// standard output and error, which the grader shows as feedback but never reads for points.
public enum ProbeProgram {
    /// Runs the probe named by the first argument and exits.
    public static func run(_ probes: [String: Probe]) -> Never {
        let arguments = CommandLine.arguments.dropFirst()
        guard let id = arguments.first, let probe = probes[id] else {
            let known = probes.keys.sorted().joined(separator: ", ")
            fail("usage: \(CommandLine.arguments.first ?? "probes") <part> < inputs.json   (parts: \(known))")
        }
        let inputs: Record
        do {
            inputs = try ValueJSON.decode(Record.self, from: FileHandle.standardInput.readDataToEndOfFile())
        } catch {
            fail("the inputs on standard input are not a record: \(error)")
        }
        var report: Record
        do {
            report = try probe(inputs)
        } catch {
            report = [ProbeReport.thrownKey: .text(String(describing: error))]
        }
        do {
            let data = try ValueJSON.encode(report)
            let descriptor = fcntl(ProbeReport.reportDescriptor, F_GETFD) == -1 ? STDOUT_FILENO : ProbeReport.reportDescriptor
            FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).write(data)
        } catch {
            fail("the report cannot be written: \(error)")
        }
        exit(0)
    }

    /// Prints `message` on standard error and exits with status 64.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(64)
    }
}
