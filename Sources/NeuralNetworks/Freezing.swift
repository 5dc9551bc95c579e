import Autodiff

extension Parameters {
    /// Splits the collection into the parameters named in `trainable` and all the others, each
    /// in this collection's order; train the first part and merge the frozen part back in:
    /// `loss(frozen.merging(trainable))`.
    public func partitioned(trainable: [String]) -> (trainable: Parameters, frozen: Parameters) {
        let wanted = Set(trainable)
        for name in wanted where self[name] == nil {
            fatalError("Parameters.partitioned: no parameter named '\(name)' (have \(names))")
        }
        return (Parameters(filter { wanted.contains($0.0) }), Parameters(filter { !wanted.contains($0.0) }))
    }

    /// The names of the parameters not in the frozen layers, where a layer is the part of a
    /// name before its first "." (`"conv1"` freezes `"conv1.weight"` and `"conv1.bias"`).
    public func names(freezingLayers frozenLayers: [String]) -> [String] {
        names.filter { name in !frozenLayers.contains(String(name.prefix { $0 != "." })) }
    }
}
