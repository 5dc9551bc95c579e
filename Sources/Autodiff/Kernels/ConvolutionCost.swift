/// The multiply-adds of one image's pass through a `conv2d`: as the direct sum writes them,
/// and as the kernels compute them.
///
/// The forward pass, dx and dW each cost the same: dx runs the same kind of product with the
/// roles of the channels swapped, and dW pairs the same operands the other way round.
public struct ConvolutionCost: Sendable, Equatable {
    /// The direct sum's multiply-adds: outputs · C · kh · kw per output channel.
    public let direct: Int
    /// The multiply-adds of the products the kernels run: the direct count for the column
    /// matrices, or for Winograd tiles of side m, tiles · (m + 2)² · C · O, the point-wise
    /// products only (the transforms' additions and scalings are not counted).
    public let performed: Int
    /// The tile side of the Winograd kernels (2 or 4), or 0 when the column matrices are used.
    public let winogradTileSide: Int

    /// The cost for images of `geometry` and `outChannels` filters.
    public init(_ geometry: ConvGeometry, outChannels: Int) {
        let outputs = geometry.outputHeight * geometry.outputWidth
        direct = outputs * outChannels * geometry.patchSize
        guard Kernels.usesChannelsLast(geometry) && Kernels.usesWinograd(geometry, outChannels: outChannels) else {
            (performed, winogradTileSide) = (direct, 0)
            return
        }
        let side = Kernels.winogradTileSide(geometry)
        let tiles = Kernels.WinogradTiles(geometry, side: side).count
        performed = tiles * (side + 2) * (side + 2) * geometry.channels * outChannels
        winogradTileSide = side
    }
}
