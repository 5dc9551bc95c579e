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

/// Which groups (alphabets) a split puts in each part, by name: what `workbook train` prints and
/// stores, and what `--train-alphabets`, `--validation-alphabets` and `--test-alphabets` choose.
public struct GroupAssignment: Codable, Sendable, Equatable {
    /// The groups meta-training samples from.
    public var train: [String]
    /// The groups of validation episodes.
    public var validation: [String]
    /// The groups held out for the final figures (may be empty when the test data is elsewhere).
    public var test: [String]

    /// An assignment of the named groups.
    public init(train: [String], validation: [String], test: [String]) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// The assignment of a chosen split: the parts that are given keep exactly their groups; a
    /// missing training part takes every group no other part names, a missing validation or test
    /// part is empty. Throws, naming the group, when a name is not in `groups` or is in two parts.
    public static func choosing(train: [String]?, validation: [String]?, test: [String]?,
                                from groups: [String]) throws -> GroupAssignment {
        let known = Set(groups)
        let named = [("train", train), ("validation", validation), ("test", test)].compactMap { part, list in list.map { (part, $0) } }
        var owner: [String: String] = [:]
        for (part, list) in named {
            for group in list {
                guard known.contains(group) else {
                    throw TaskDataError.invalidArgument("split: there is no alphabet '\(group)' (for \(part)); "
                        + "the data has \(groups.sorted().joined(separator: ", "))")
                }
                if let other = owner.updateValue(part, forKey: group), other != part {
                    throw TaskDataError.invalidArgument("split: alphabet '\(group)' is named for both \(other) and \(part)")
                }
            }
        }
        let rest = groups.sorted().filter { owner[$0] == nil }
        return GroupAssignment(train: train ?? rest, validation: validation ?? [], test: test ?? [])
    }

    /// The groups of the data no part uses.
    public func unused(of groups: [String]) -> [String] {
        let used = Set(train + validation + test)
        return groups.sorted().filter { !used.contains($0) }
    }

    /// One line for a run's output: `train A, B; validation C; test D`.
    public var summary: String {
        [("train", train), ("validation", validation), ("test", test)]
            .map { "\($0) \($1.isEmpty ? "(none)" : $1.joined(separator: ", "))" }.joined(separator: "; ")
    }
}

extension DatasetSplit {
    /// The groups of each part, in data-set order.
    public var assignment: GroupAssignment {
        GroupAssignment(train: train.groups, validation: validation.groups, test: test.groups)
    }
}

extension ImageDataset {
    /// Splits the classes by the groups `assignment` names (every class of a group goes with it;
    /// classes of groups it does not name are left out). Throws, naming it, for a group the data
    /// does not have, a group in two parts, or an empty training part.
    public func split(_ assignment: GroupAssignment) throws -> DatasetSplit {
        let checked = try GroupAssignment.choosing(train: assignment.train, validation: assignment.validation,
                                                   test: assignment.test, from: groups)
        guard !checked.train.isEmpty else {
            throw TaskDataError.invalidArgument("split: no training alphabets are left; name some with --train-alphabets")
        }
        func part(_ names: [String]) -> ImageDataset {
            let chosen = Set(names)
            return ImageDataset(classes: classes.filter { chosen.contains($0.group) })
        }
        return DatasetSplit(train: part(checked.train), validation: part(checked.validation), test: part(checked.test))
    }
}

/// The alphabets a user named for each part of a split (nil: not named); all nil keeps the
/// seeded default split.
public struct GroupChoice: Sendable, Equatable {
    /// Training alphabets, if named.
    public var train: [String]?
    /// Validation alphabets, if named.
    public var validation: [String]?
    /// Test alphabets, if named.
    public var test: [String]?

    /// A choice of the named parts.
    public init(train: [String]? = nil, validation: [String]? = nil, test: [String]? = nil) {
        (self.train, self.validation, self.test) = (train, validation, test)
    }

    /// True when no part is named.
    public var isDefault: Bool { train == nil && validation == nil && test == nil }

    /// The assignment for `dataset`: nil for the default split, else `GroupAssignment.choosing`.
    public func assignment(for dataset: ImageDataset) throws -> GroupAssignment? {
        isDefault ? nil : try GroupAssignment.choosing(train: train, validation: validation, test: test, from: dataset.groups)
    }
}
