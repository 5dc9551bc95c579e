import Autodiff

/// An image data set divided into training, validation and test classes by group.
public struct DatasetSplit: Sendable {
    /// Classes for meta-training.
    public let train: ImageDataset
    /// Classes for choosing hyper-parameters and early stopping.
    public let validation: ImageDataset
    /// Classes held out for the final evaluation.
    public let test: ImageDataset
}

extension ImageDataset {
    /// Splits the classes by group (alphabet), the same way every time.
    ///
    /// The rule: sort the group names, shuffle them with `SeededGenerator(seed: seed)`, then give the
    /// first `max(1, round(validationFraction * G))` groups to validation, the next
    /// `max(1, round(testFraction * G))` to test, and the rest to training (G = number of groups). A
    /// class keeps its data-set order inside its part. Needs at least 3 groups and room for one
    /// training group.
    public func split(validationFraction: Double = 0.2, testFraction: Double = 0.2, seed: UInt64 = 0) throws -> DatasetSplit {
        guard (0...1).contains(validationFraction), (0...1).contains(testFraction), validationFraction + testFraction < 1 else {
            throw TaskDataError.invalidArgument(
                "split: fractions must lie in [0, 1] and sum below 1, got validation \(validationFraction), test \(testFraction)")
        }
        var order = groups.sorted()
        let groupCount = order.count
        let validationCount = max(1, Int((validationFraction * Double(groupCount)).rounded()))
        let testCount = max(1, Int((testFraction * Double(groupCount)).rounded()))
        guard validationCount + testCount < groupCount else {
            throw TaskDataError.invalidArgument(
                "split: \(groupCount) groups cannot give \(validationCount) validation, \(testCount) test and at least 1 training group")
        }
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&order)
        let validationGroups = Set(order[0..<validationCount])
        let testGroups = Set(order[validationCount..<validationCount + testCount])
        return DatasetSplit(
            train: ImageDataset(classes: classes.filter { !validationGroups.contains($0.group) && !testGroups.contains($0.group) }),
            validation: ImageDataset(classes: classes.filter { validationGroups.contains($0.group) }),
            test: ImageDataset(classes: classes.filter { testGroups.contains($0.group) }))
    }
}
