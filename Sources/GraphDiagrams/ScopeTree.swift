/// Nodes grouped by scope path: the nodes outside any scope, and one child per scope name.
struct ScopeTree {
    var name = ""
    var index = 0
    var nodes: [DiagramNode] = []
    var children: [ScopeTree] = []
    /// The nodes and child scopes in order of first appearance.
    var entries: [Entry] = []

    /// A node of this scope, or the child scope at an index into `children`.
    enum Entry {
        case node(DiagramNode)
        case child(Int)
    }

    /// Builds the tree; clusters are numbered in order of first appearance.
    init(_ all: [DiagramNode]) {
        var counter = 0
        for node in all { insert(node, remaining: node.scopePath[...], counter: &counter) }
    }

    private init(name: String, index: Int) {
        self.name = name
        self.index = index
    }

    /// The cluster number of the scope at `path` below this one, if there is one.
    func index(of path: [String]) -> Int? {
        guard let first = path.first else { return nil }
        guard let child = children.first(where: { $0.name == first }) else { return nil }
        return path.count == 1 ? child.index : child.index(of: Array(path.dropFirst()))
    }

    /// Every node in this scope and the scopes inside it.
    var allNodes: [DiagramNode] { nodes + children.flatMap(\.allNodes) }

    private mutating func insert(_ node: DiagramNode, remaining: ArraySlice<String>, counter: inout Int) {
        guard let first = remaining.first else {
            nodes.append(node)
            entries.append(.node(node))
            return
        }
        if let i = children.firstIndex(where: { $0.name == first }) {
            children[i].insert(node, remaining: remaining.dropFirst(), counter: &counter)
        } else {
            var child = ScopeTree(name: first, index: counter)
            counter += 1
            child.insert(node, remaining: remaining.dropFirst(), counter: &counter)
            entries.append(.child(children.count))
            children.append(child)
        }
    }
}
