import Foundation
@testable import GradingKit
import Testing

/// A variant of `exercise` named `name` that patches nothing.
private func variant(_ exercise: String, _ name: String) -> Variant {
    Variant(exercise: exercise, name: name, breaks: [], hunks: [], replacementFiles: nil)
}

@Test func roundsHoldAtMostOneVariantOfEachExerciseAndLoseNone() {
    let variants = [variant("A", "a1"), variant("A", "a2"), variant("A", "a3"), variant("B", "b1"), variant("C", "c1"), variant("C", "c2")]
    let rounds = Validator.rounds(variants)
    #expect(rounds.map { $0.map(\.name) } == [["a1", "b1", "c1"], ["a2", "c2"], ["a3"]])
    for round in rounds { #expect(Set(round.map(\.exercise)).count == round.count) }
    #expect(Validator.rounds([]).isEmpty)
}
