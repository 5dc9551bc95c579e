extension Tensor {
    /// The identity of the memory holding the elements: equal for tensors that share it.
    ///
    /// A recorded graph keeps each node's inputs and output alive for the backward pass;
    /// diagrams count that memory once per distinct storage.
    public var storageIdentifier: ObjectIdentifier { ObjectIdentifier(buffer) }

    /// The bytes of the elements' memory (elements × bytes per element).
    public var storageByteCount: Int { buffer.count * dtype.byteCount }
}
