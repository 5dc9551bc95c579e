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

/// Stops with a message naming `op` and the shape when one of the shape's sizes is negative.
///
/// Every function that makes a tensor of a caller's shape checks it first: a negative size
/// would otherwise reach the allocator as a negative count and end without a word.
@inlinable
public func checkShape(_ shape: [Int], _ op: @autoclosure () -> String,
                       file: StaticString = #fileID, line: UInt = #line) {
    check(shape.allSatisfy { $0 >= 0 }, "\(op()): negative size in shape \(shape)", file: file, line: line)
}
