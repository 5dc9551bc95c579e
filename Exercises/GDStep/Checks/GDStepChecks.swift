import Autodiff
import GDStep
import Testing

/// Visible sanity check: one step on cost(w) = w² from w = 1 with η = 0.25 lands on w = 0.5.
@Test func stepOnAParabolaHalvesTheParameter() throws {
    let start: Parameters = ["w": Tensor([1.0])]
    let next = try gdStep({ p in (p.require("w") * p.require("w")).sum() }, start, stepSize: 0.25)
    #expect(next.names == ["w"], "the step should return the parameter w, got \(next.names)")
    let w = next.require("w").scalars[0]
    #expect(abs(w - 0.5) < 1e-12, "one step of η = 0.25 on w² from w = 1 should give w = 0.5, got \(w)")
}
