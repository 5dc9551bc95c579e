/// A named region of the computation (for example "inner step 2"), used to group graph nodes.
///
/// Scopes nest: `path` lists the names from the outermost scope inwards.
public final class Scope: Sendable {
    /// This scope's own name.
    public let name: String
    /// The enclosing scope, if any.
    public let parent: Scope?

    init(name: String, parent: Scope?) {
        self.name = name
        self.parent = parent
    }

    /// The names of the enclosing scopes and this one, outermost first.
    public var path: [String] {
        var names: [String] = []
        var s: Scope? = self
        while let current = s {
            names.append(current.name)
            s = current.parent
        }
        return names.reversed()
    }
}

/// One recorded operation: which primitive made a tensor, from which inputs, and when.
///
/// Nodes form the dynamic graph that reverse mode walks. Because vector-Jacobian products
/// are themselves written with tensor operations, a backward pass run while recording adds
/// new nodes (tagged with a higher `derivativeOrder`), which is what makes grad of grad work.
public final class GraphNode: @unchecked Sendable {
    /// The primitive that produced the value.
    public let primitive: Primitive
    /// The operands, in the primitive's order. (Emptied only while the node is being released.)
    @exclusivity(unchecked) public private(set) var inputs: [Tensor]
    /// 0 for the forward pass, 1 for nodes made by a first backward pass, 2 for a backward
    /// pass over that one, and so on.
    public let derivativeOrder: Int
    /// The innermost named scope active when the node was recorded.
    public let scope: Scope?
    /// A name given to a variable (for diagrams and error messages).
    public let name: String?
    /// For a node recorded by a backward pass, the scope of the operation whose vector-Jacobian
    /// product recorded it (diagrams group a backward pass by what it differentiates); nil for
    /// forward nodes and for operations outside any scope.
    public let differentiatedScope: Scope?
    let output: Buffer
    /// The shape of the value this node produced.
    public let shape: [Int]
    /// When the node was made: larger than every input's stamp (see `NodeClock`).
    let stamp: UInt64

    init(primitive: Primitive, inputs: [Tensor], output: Buffer, shape: [Int], context: GraphContext, name: String? = nil) {
        self.primitive = primitive
        self.inputs = inputs
        self.output = output
        self.shape = shape
        self.derivativeOrder = context.derivativeOrder
        self.scope = context.scope
        self.differentiatedScope = context.backwardSource?.scope
        self.name = name
        var newestInput: UInt64 = 0
        for input in inputs { if let node = input.node, node.stamp > newestInput { newestInput = node.stamp } }
        stamp = NodeClock.tick(after: newestInput)
        context.recorder?.add(self)
    }

    /// Releases the graph behind this node without recursion.
    ///
    /// Left to Swift, releasing a node releases its inputs' nodes from inside its own release,
    /// one stack frame per link: a chain of a million nodes overflows the stack. Here a node
    /// whose last reference goes away hands its inputs' nodes to a list, and each of those that
    /// nothing else holds hands over its own inputs before it goes: the depth stays one frame.
    deinit {
        guard inputs.contains(where: { $0.node != nil }) else { return }
        var pending: [GraphNode] = []
        Self.handOver(&inputs, to: &pending)
        while var node = pending.popLast() {
            // Only this loop holds `node`: no other thread can see it, so emptying its inputs is safe.
            if isKnownUniquelyReferenced(&node) { Self.handOver(&node.inputs, to: &pending) }
        }
    }

    /// Moves the nodes of `inputs` to `pending` and empties `inputs`.
    private static func handOver(_ inputs: inout [Tensor], to pending: inout [GraphNode]) {
        for input in inputs { if let node = input.node { pending.append(node) } }
        inputs = []
    }

    /// The value this node produced, still attached to the graph.
    public var value: Tensor { Tensor(buffer: output, shape: shape, node: self) }
}

extension GraphNode {
    /// Every node reachable from `roots` through their inputs, each listed after all of its
    /// inputs (post-order of an iterative depth-first search; each node once).
    public static func postOrder(from roots: [GraphNode]) -> [GraphNode] {
        var order: [GraphNode] = []
        var visited: Set<ObjectIdentifier> = []
        for root in roots where visited.insert(ObjectIdentifier(root)).inserted {
            // (node, index of the next input to visit)
            var stack: [(GraphNode, Int)] = [(root, 0)]
            while let (node, next) = stack.popLast() {
                if next < node.inputs.count {
                    stack.append((node, next + 1))
                    if let child = node.inputs[next].node, visited.insert(ObjectIdentifier(child)).inserted {
                        stack.append((child, 0))
                    }
                } else {
                    order.append(node)
                }
            }
        }
        return order
    }
}

/// What the current thread or task is recording.
struct GraphContext: Sendable {
    /// Whether operations on tracked tensors create nodes.
    var recording = true
    /// Whether backward passes may record themselves (false gives first-order gradients).
    var higherOrder = true
    /// The derivative order tagged onto new nodes.
    var derivativeOrder = 0
    /// The innermost named scope.
    var scope: Scope? = nil
    /// Collects the nodes made inside a checkpointed segment (nil elsewhere).
    var recorder: NodeRecorder? = nil
    /// While a recorded backward pass runs: the operation whose vector-Jacobian product it is in.
    var backwardSource: BackwardSource? = nil

    @TaskLocal static var current = GraphContext()
}

/// The scope of the operation whose vector-Jacobian product a recorded backward pass is running;
/// the pass updates it before each rule, and the nodes the rule records copy it. One per pass,
/// used by the one thread running that pass.
final class BackwardSource: @unchecked Sendable {
    var scope: Scope?
}

/// Runs `body` without recording any operation: results are constants (like `torch.no_grad`).
///
/// Functional `grad` calls inside still work: they switch recording back on for their own
/// forward pass, and their results are constants.
public func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
    var context = GraphContext.current
    context.recording = false
    return try GraphContext.$current.withValue(context, operation: body)
}

/// Runs `body` with first-order gradients only: backward passes inside are never recorded,
/// so every gradient computed inside is a constant to any outer differentiation.
///
/// Wrapping a MAML meta-objective in this scope turns it into first-order MAML (FO-MAML).
public func withFirstOrderGradients<R>(_ body: () throws -> R) rethrows -> R {
    var context = GraphContext.current
    context.higherOrder = false
    return try GraphContext.$current.withValue(context, operation: body)
}

/// Runs `body` inside a named scope; nodes recorded inside carry it (diagrams draw it as a cluster).
public func withScope<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
    var context = GraphContext.current
    context.scope = Scope(name: name, parent: context.scope)
    return try GraphContext.$current.withValue(context, operation: body)
}

/// Whether operations are currently recorded.
public var isRecording: Bool { GraphContext.current.recording }
