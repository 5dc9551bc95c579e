/// Stops the program with `message` when `condition` is false, in every build configuration.
///
/// Swift's `precondition` prints its message only in unoptimized builds; in a release build
/// (and in this module, which is optimized in debug builds too) a failed check would end as a
/// bare "Illegal instruction". The library's checks name the operation and the shapes instead,
/// so they go through this function.
@inlinable
public func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
