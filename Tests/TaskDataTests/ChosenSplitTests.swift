import Testing
@testable import TaskData

@Suite("Splits chosen by alphabet name")
struct ChosenSplitTests {
    /// 30 classes in 6 groups of 5, named by SyntheticGlyphs.
    let dataset = SyntheticGlyphs.dataset(classes: 30, drawingsPerClass: 2, classesPerGroup: 5, seed: 4)

    @Test("Named parts keep exactly their groups; an unnamed training part takes the rest; unnamed held-out parts are empty")
    func namedParts() throws {
        let groups = dataset.groups.sorted()
        let assignment = try GroupAssignment.choosing(train: nil, validation: [groups[0]], test: [groups[1], groups[2]], from: dataset.groups)
        #expect(assignment.train == Array(groups[3...]))
        #expect(assignment.validation == [groups[0]] && assignment.test == [groups[1], groups[2]])
        let split = try dataset.split(assignment)
        #expect(split.assignment == GroupAssignment(train: split.train.groups, validation: [groups[0]], test: [groups[1], groups[2]]))
        #expect(Set(split.train.groups) == Set(groups[3...]))
        #expect(split.train.classes.count + split.validation.classes.count + split.test.classes.count == 30)
        #expect(split.test.classes.allSatisfy { [groups[1], groups[2]].contains($0.group) })

        let noTest = try GroupAssignment.choosing(train: nil, validation: [groups[5]], test: [], from: dataset.groups)
        #expect(noTest.test.isEmpty && noTest.train == Array(groups[0..<5]))
        #expect(noTest.summary.contains("test (none)"))
        // Groups only named nowhere while train is named are left out of every part.
        let partial = try GroupAssignment.choosing(train: [groups[0]], validation: [groups[1]], test: nil, from: dataset.groups)
        #expect(partial.unused(of: dataset.groups) == Array(groups[2...]))
        #expect(try dataset.split(partial).train.groups == [groups[0]])
    }

    @Test("No named part keeps the seeded default split")
    func defaultChoice() throws {
        #expect(try GroupChoice().assignment(for: dataset) == nil)
        #expect(try GroupChoice(test: []).assignment(for: dataset)?.train.count == 6)
    }

    @Test("An unknown alphabet, one named twice, and no training alphabets are errors that name them")
    func mistakes() throws {
        let groups = dataset.groups.sorted()
        #expect {
            try GroupAssignment.choosing(train: nil, validation: ["Klingon"], test: nil, from: dataset.groups)
        } throws: { "\($0)".contains("'Klingon'") && "\($0)".contains("validation") && "\($0)".contains(groups[0]) }
        #expect {
            try GroupAssignment.choosing(train: nil, validation: [groups[0]], test: [groups[0]], from: dataset.groups)
        } throws: { "\($0)".contains("'\(groups[0])'") && "\($0)".contains("validation and test") }
        #expect {
            try dataset.split(GroupAssignment(train: [], validation: [groups[0]], test: Array(groups[1...])))
        } throws: { "\($0)".contains("no training alphabets") }
    }
}
