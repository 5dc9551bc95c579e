import Autodiff
import NeuralNetworks

/// The floating-point operations of one first-order meta-training iteration of a `ConvNet`,
/// counted from the layer shapes.
///
/// Counted: every multiply-add of the convolutions and of the linear head as 2 FLOP, for the
/// forward pass, dW of every layer and dx of every layer but the first (its input is data),
/// over every image the iteration differentiates (each inner step's support set and the query
/// set, for every episode). `direct` counts the direct sums; `performed` counts the products
/// the kernels actually run (Winograd tiles' point-wise products instead of the direct sums,
/// their transforms not counted). Not counted: batch norm, pooling, ReLU, the loss and the
/// optimizer, which together are under 1% of either figure.
struct ConvNetWork {
    let direct: Double, performed: Double
    /// Each conv block's Winograd tile side (0: column matrices).
    let tileSides: [Int]

    init(net: ConvNet, images: Int) {
        var (direct, performed) = (0.0, 0.0)
        var (channels, side) = (net.inputChannels, net.imageSize)
        var tileSides: [Int] = []
        for block in 1...net.blocks {
            let geometry = ConvGeometry(channels: channels, height: side, width: side, kernelHeight: 3, kernelWidth: 3,
                                        stride: 1, padding: 1)
            let cost = ConvolutionCost(geometry, outChannels: net.filters)
            let passes = block == 1 ? 2.0 : 3.0  // forward, dW, and dx past the first block
            direct += passes * Double(cost.direct)
            performed += passes * Double(cost.performed)
            tileSides.append(cost.winogradTileSide)
            (channels, side) = (net.filters, side / 2)
        }
        let head = 3.0 * Double(net.featureCount * net.ways)  // forward, dW and dx
        self.direct = 2 * Double(images) * (direct + head)
        self.performed = 2 * Double(images) * (performed + head)
        self.tileSides = tileSides
    }
}
