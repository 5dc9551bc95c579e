import Foundation

/// Turns an error into the one sentence a command prints: Foundation's file errors become a
/// sentence naming the path and what is wrong with it (never a domain and a code); every other
/// error keeps its own description.
public enum ErrorSentence {
    /// The sentence for `error`.
    public static func of(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError { return fileSentence(code: cocoa.code.rawValue, userInfo: cocoa.userInfo) }
        let bridged = error as NSError
        if bridged.domain == NSCocoaErrorDomain { return fileSentence(code: bridged.code, userInfo: bridged.userInfo) }
        if bridged.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(bridged.code)) {
            return posixSentence(code, path: path(in: bridged.userInfo))
        }
        let text = String(describing: error)
        // A description that is Foundation's own dump is no sentence: say what we know instead.
        if text.hasPrefix("Error Domain=") { return "an operation failed (\(bridged.localizedDescription))" }
        return text
    }

    /// Whether `error` is one of Foundation's (file and system errors), which `of` rewrites.
    public static func isFoundationError(_ error: any Error) -> Bool {
        if error is CocoaError { return true }
        let domain = (error as NSError).domain
        return domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain
    }

    /// The path a Foundation error names, if any.
    private static func path(in userInfo: [String: Any]) -> String? {
        if let path = userInfo[NSFilePathErrorKey] as? String { return path }
        if let url = userInfo[NSURLErrorKey] as? URL { return url.path }
        return nil
    }

    /// A sentence for one of Foundation's file errors.
    private static func fileSentence(code: Int, userInfo: [String: Any]) -> String {
        let path = path(in: userInfo)
        let subject = path.map { "'\($0)'" } ?? "a file"
        if let underlying = userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let posix = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return posixSentence(posix, path: path)
        }
        switch code {
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: return "\(subject) does not exist"
        case CocoaError.fileWriteFileExists.rawValue: return "\(subject) already exists and is in the way"
        case CocoaError.fileReadNoPermission.rawValue, CocoaError.fileWriteNoPermission.rawValue:
            return "\(subject) cannot be accessed: permission denied"
        case CocoaError.fileWriteOutOfSpace.rawValue: return "there is no space left to write \(subject)"
        case CocoaError.fileWriteVolumeReadOnly.rawValue: return "\(subject) is on a read-only disk"
        case CocoaError.fileReadCorruptFile.rawValue, CocoaError.fileReadInapplicableStringEncoding.rawValue:
            return "\(subject) could not be read: its contents are not what was expected"
        default:
            if let path, isFolder(path) { return "\(subject) is a folder, not a file" }
            return "\(subject) could not be read or written"
        }
    }

    /// A sentence for a system error on `path`.
    private static func posixSentence(_ code: POSIXErrorCode, path: String?) -> String {
        let subject = path.map { "'\($0)'" } ?? "a file"
        switch code {
        case .ENOENT: return "\(subject) does not exist (or a folder on its way does not)"
        case .EEXIST: return "\(subject) already exists and is in the way"
        case .EISDIR: return "\(subject) is a folder, not a file"
        case .ENOTDIR: return "\(subject) cannot be made: a file stands where a folder on its way should be"
        case .EACCES, .EPERM: return "\(subject) cannot be accessed: permission denied"
        case .ENOSPC: return "there is no space left to write \(subject)"
        case .EROFS: return "\(subject) is on a read-only disk"
        default: return "\(subject): \(String(cString: strerror(code.rawValue)))"
        }
    }

    /// Whether `path` names an existing folder.
    static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}

/// Checks of the paths users give on command lines, each failing with one sentence.
public enum PathCheck {
    /// Throws unless `path` can be the output folder given with `flag`: absent (it will be
    /// created) or a folder, never a file.
    public static func outputFolder(_ path: String, flag: String = "--out") throws {
        var folder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &folder), !folder.boolValue {
            throw PathProblem("\(flag) \(path) is a file; give a folder (it is created if it does not exist)")
        }
    }

    /// Throws unless `path` can be the output file given with `flag`: not a folder, and in a
    /// folder that exists or can be created (not under a file).
    public static func outputFile(_ path: String, flag: String) throws {
        var folder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &folder), folder.boolValue {
            throw PathProblem("\(flag) \(path) is a folder; give a file name")
        }
        var parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: parent.path, isDirectory: &folder) { parent.deleteLastPathComponent() }
        if !folder.boolValue { throw PathProblem("\(flag) \(path): \(parent.path) is a file, not a folder") }
    }

    /// Throws unless `path`, given with `flag`, is an existing folder.
    public static func inputFolder(_ path: String, flag: String, what: String) throws {
        var folder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else {
            throw PathProblem("\(flag) \(path): there is no such folder")
        }
        guard folder.boolValue else { throw PathProblem("\(flag) \(path) is a file; give the folder of \(what)") }
    }

    /// Throws unless `path`, given with `flag`, is a readable file.
    public static func inputFile(_ path: String, flag: String, what: String) throws {
        var folder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else {
            throw PathProblem("\(flag) \(path): there is no such file")
        }
        guard !folder.boolValue else {
            throw PathProblem("\(flag) \(path) is a folder; give the \(what) file itself")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw PathProblem("\(flag) \(path) cannot be read: permission denied")
        }
    }
}

/// A path given on a command line cannot be used; the description says why, in one sentence.
public struct PathProblem: Error, CustomStringConvertible {
    /// The sentence.
    public let description: String

    /// A problem described by `description`.
    public init(_ description: String) { self.description = description }
}
