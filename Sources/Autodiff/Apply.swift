extension Tensor {
    /// Runs a primitive: computes its value and, when recording and some input is tracked,
    /// records a graph node so reverse mode can find its way back.
    static func apply(_ primitive: Primitive, _ inputs: [Tensor]) -> Tensor {
        record(primitive, inputs, value: primitive.rule.forward(inputs))
    }

    /// Like `apply`, for a `value` the caller already computed with the primitive's forward
    /// kernel (or an equal one that also produced the primitive's parameters).
    static func record(_ primitive: Primitive, _ inputs: [Tensor], value: Tensor) -> Tensor {
        let context = GraphContext.current
        guard context.recording, inputs.contains(where: { $0.node != nil }) else { return value }
        let node = GraphNode(primitive: primitive, inputs: inputs, output: value.buffer, shape: value.shape, context: context)
        return Tensor(buffer: value.buffer, shape: value.shape, node: node)
    }

    /// This value as a fresh variable to differentiate with respect to.
    ///
    /// If the tensor is already tracked (an outer differentiation is watching it), the variable
    /// is linked to it by an identity node, so outer gradients still flow through.
    public func variable(named name: String? = nil) -> Tensor {
        let context = GraphContext.current
        let inputs = node != nil && context.recording ? [self] : []
        let node = GraphNode(primitive: inputs.isEmpty ? .variable : .identity, inputs: inputs,
                             output: buffer, shape: shape, context: context, name: name)
        return Tensor(buffer: buffer, shape: shape, node: node)
    }
}
