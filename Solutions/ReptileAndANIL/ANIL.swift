import Autodiff
import ExerciseSupport

/// ANIL's inner loop: only the head adapts, the body stays as it is.
///
///     head₀ = head,   headₘ = headₘ₋₁ − α ∇_head L(body, headₘ₋₁),   result = (body, head_k).
///
/// `headNames` name the head's tensors in `params`; the result keeps `params`' names and order.
/// The body enters the head's cost unchanged, so an outer `grad` of a loss at the result
/// reaches the body both directly and through the head's steps (second order).
/// Throws when a head name is not among the parameters.
public func anilAdapt(
    _ params: Parameters, headNames: [String], cost: @escaping (Parameters) -> Tensor, inner: InnerLoop
) throws -> Parameters {
    let names = params.map(\.0)
    if let missing = headNames.first(where: { !names.contains($0) }) {
        throw ExerciseError.invalidArgument("head parameter \(missing) is not among the parameters \(names)")
    }
    // The head's cost: the full network with the body as given and the head replaced.
    let headCost = { (head: Parameters) in cost(params.merging(head)) }
    let adaptedHead = try inner.run(headCost, from: params.selecting(headNames))
    return params.merging(adaptedHead)
}
