/// Which way the diagram's arrows run.
public enum RankDirection: String, Sendable, CaseIterable {
    /// Inputs on the left, outputs on the right.
    case leftToRight = "LR"
    /// Inputs at the top, outputs at the bottom.
    case topToBottom = "TB"
}

/// What a diagram shows and how it is laid out.
public struct DiagramOptions: Sendable, Equatable {
    /// Merge runs of element-wise operations (one user each, same pass and scope) into one node.
    public var collapseElementwiseChains: Bool
    /// Draw constant operands (numbers and fixed tensors) as their own small nodes.
    public var showConstants: Bool
    /// Print the value inside each node whose tensor has at most `maxShownValues` elements.
    public var showValues: Bool
    /// Print, beside each value, the gradient of the first output with respect to it
    /// (micrograd's data | grad); implies `showValues`.
    public var showGradients: Bool
    /// Label arrows that carry more than a scalar with the tensor's shape ("5×4").
    public var showShapes: Bool
    /// Print the bytes each node keeps for the backward pass, summed per cluster.
    public var showMemory: Bool
    /// The largest tensor whose values `showValues` prints.
    public var maxShownValues: Int
    /// The direction of the layout.
    public var rankDirection: RankDirection
    /// A caption at the top of the diagram, if any.
    public var title: String?
    /// The largest width or height of a PNG, in pixels (bigger graphs are scaled down to fit).
    public var maxPNGPixels: Int
    /// The resolution of PNG output, in dots per inch.
    public var pngDotsPerInch: Int

    /// Options with every field settable; the defaults suit a slide.
    public init(collapseElementwiseChains: Bool = false, showConstants: Bool = false, showValues: Bool = false,
                showGradients: Bool = false, showShapes: Bool = false, showMemory: Bool = false,
                maxShownValues: Int = 4, rankDirection: RankDirection = .leftToRight, title: String? = nil,
                maxPNGPixels: Int = 2400, pngDotsPerInch: Int = 144) {
        self.collapseElementwiseChains = collapseElementwiseChains
        self.showConstants = showConstants
        self.showValues = showValues || showGradients
        self.showGradients = showGradients
        self.showShapes = showShapes
        self.showMemory = showMemory
        self.maxShownValues = maxShownValues
        self.rankDirection = rankDirection
        self.title = title
        self.maxPNGPixels = maxPNGPixels
        self.pngDotsPerInch = pngDotsPerInch
    }
}
