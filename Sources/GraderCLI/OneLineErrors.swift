import ArgumentParser
import Foundation

extension Grader {
    /// Parses the command line and runs the command it names. A mistake ends the program with
    /// one line on standard error, "Error: " and a sentence naming the path or flag, and a
    /// non-zero status: Foundation's file errors are rewritten, never shown as a domain and a code.
    static func runReportingErrorsInOneLine() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            fflush(nil)
            if let code = error as? ExitCode { Foundation.exit(code.rawValue) }
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }  // --help and the like
            let sentence = FileErrorSentence.of(error) ?? message(for: error)
            let line = sentence.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            FileHandle.standardError.write(Data("Error: \(line)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

/// One sentence for one of Foundation's file errors, naming the path.
enum FileErrorSentence {
    /// The sentence, or nil when `error` is not one of Foundation's file or system errors.
    static func of(_ error: any Error) -> String? {
        let bridged = error as NSError
        guard error is CocoaError || bridged.domain == NSCocoaErrorDomain || bridged.domain == NSPOSIXErrorDomain else { return nil }
        let path = (bridged.userInfo[NSFilePathErrorKey] as? String) ?? (bridged.userInfo[NSURLErrorKey] as? URL)?.path
        let subject = path.map { "'\($0)'" } ?? "a file"
        let posix = bridged.domain == NSPOSIXErrorDomain ? bridged : bridged.userInfo[NSUnderlyingErrorKey] as? NSError
        switch (posix?.domain == NSPOSIXErrorDomain ? posix.flatMap { POSIXErrorCode(rawValue: Int32($0.code)) } : nil, bridged.code) {
        case (.ENOENT?, _), (nil, CocoaError.fileNoSuchFile.rawValue), (nil, CocoaError.fileReadNoSuchFile.rawValue):
            return "\(subject) does not exist (or a folder on its way does not)"
        case (.EEXIST?, _), (nil, CocoaError.fileWriteFileExists.rawValue): return "\(subject) already exists and is in the way"
        case (.EISDIR?, _): return "\(subject) is a folder, not a file"
        case (.ENOTDIR?, _): return "\(subject) cannot be made: a file stands where a folder on its way should be"
        case (.EACCES?, _), (.EPERM?, _), (nil, CocoaError.fileReadNoPermission.rawValue), (nil, CocoaError.fileWriteNoPermission.rawValue):
            return "\(subject) cannot be accessed: permission denied"
        case (.ENOSPC?, _), (nil, CocoaError.fileWriteOutOfSpace.rawValue): return "there is no space left to write \(subject)"
        case (let code?, _): return "\(subject): \(String(cString: strerror(code.rawValue)))"
        default: return "\(subject) could not be read or written"
        }
    }
}

/// Throws unless `path`, given with `--out`, can be a folder: absent (it is created) or a folder.
func checkOutputFolder(_ path: String) throws {
    var folder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &folder), !folder.boolValue {
        throw ValidationError("--out \(path) is a file; give a folder (it is created if it does not exist)")
    }
}
