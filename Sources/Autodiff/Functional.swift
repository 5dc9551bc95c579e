// The functional API in the style of HIPS autograd and JAX: `grad(f)(x)`.
//
// Nesting is safe: each `grad` makes its own variables, and reverse mode only follows
// paths from the output to those variables, so d/dx [x * d/dy (x + y)] = 1, as it should.
// Tensors a closure captures are followed too: a `grad` whose function reads a tracked tensor
// records its backward pass, so the gradient depends on that tensor to every order.

/// Runs `f` on fresh variables and returns the value with the gradients, recording the
/// backward pass when something outside can differentiate it.
///
/// Something outside is watching when an input is itself tracked, or when `f` reads a tracked
/// tensor it did not get as an input: a variable of an enclosing `grad`, or one the closure
/// captured (`grad { y in x * y * y }` with `x` a variable). Then the gradients depend on that
/// tensor, and the pass is recorded so they carry its derivative; otherwise they are constants.
/// The value stays tracked likewise when it depends on such a tensor.
private func differentiate<Input>(
    _ inputs: [Tensor], rebuild: ([Tensor]) -> Input, _ f: (Input) -> Tensor
) -> (value: Tensor, gradients: [Tensor]) {
    let outer = GraphContext.current
    var inner = outer
    inner.recording = true
    let variables = GraphContext.$current.withValue(inner) { inputs.map { $0.variable() } }
    let value = GraphContext.$current.withValue(inner) { f(rebuild(variables)) }
    check(value.scalarCount == 1, "grad: the function must return a scalar, got shape \(value.shape)")
    guard let root = value.node else { return (value, inputs.map { $0.zerosLike() }) }
    let graph = ReverseGraph(roots: [root], targets: variables.compactMap(\.node))
    let watched = outer.recording && (inputs.contains { $0.isTracked } || graph.readsOtherTrackedTensors)
    let grads = graph.gradients(for: variables, from: root, seed: .ones(value.shape, dtype: value.dtype), record: watched)
    // A value that does not lead to the variables at all is tracked through outside tensors only.
    let valueIsWatched = watched || (outer.recording && graph.position(of: root).map { !graph.relevant[$0] } ?? true)
    return (valueIsWatched ? value : value.detached(), grads)
}

/// The gradient function of a scalar function of one tensor: `grad(f)(x)` = ∇f(x).
public func grad(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> Tensor {
    { x in valueAndGrad(f)(x).gradient }
}

/// A function returning both f(x) and ∇f(x), sharing one forward pass.
public func valueAndGrad(_ f: @escaping (Tensor) -> Tensor) -> (Tensor) -> (value: Tensor, gradient: Tensor) {
    { x in
        let (value, grads) = differentiate([x], rebuild: { $0[0] }, f)
        return (value, grads[0])
    }
}

/// The gradient function of a scalar function of named parameters: one gradient per name.
public func grad(_ f: @escaping (Parameters) -> Tensor) -> (Parameters) -> Parameters {
    { p in valueAndGrad(f)(p).gradient }
}

/// A function returning both f(params) and its gradient with respect to every parameter.
public func valueAndGrad(_ f: @escaping (Parameters) -> Tensor) -> (Parameters) -> (value: Tensor, gradient: Parameters) {
    { p in
        let (value, grads) = differentiate(p.tensors, rebuild: { Parameters(names: p.names, tensors: $0) }, f)
        return (value, Parameters(names: p.names, tensors: grads))
    }
}

/// The gradient with respect to several tensors at once: `grad(f)([a, b])` = [∂f/∂a, ∂f/∂b].
public func grad(_ f: @escaping ([Tensor]) -> Tensor) -> ([Tensor]) -> [Tensor] {
    { xs in differentiate(xs, rebuild: { $0 }, f).gradients }
}

/// The Hessian-vector product ∇²f(x) v, by reverse over reverse: ∇ₓ ⟨∇f(x), v⟩.
public func hessianVectorProduct(_ f: @escaping (Tensor) -> Tensor, at x: Tensor, along v: Tensor) -> Tensor {
    check(v.shape == x.shape, "hessianVectorProduct: v has shape \(v.shape) but x has shape \(x.shape)")
    return grad { (y: Tensor) in (grad(f)(y) * v).sum() }(x)
}

/// The full Hessian of a scalar function of a vector (one Hessian-vector product per column).
public func hessian(_ f: @escaping (Tensor) -> Tensor, at x: Tensor) -> Tensor {
    let n = x.scalarCount
    let columns = (0..<n).map { i -> Tensor in
        var basis = [Double](repeating: 0, count: n)
        basis[i] = 1
        return hessianVectorProduct(f, at: x, along: Tensor(shape: x.shape, scalars: basis, dtype: x.dtype)).flattened()
    }
    return stack(columns, axis: 1)
}
