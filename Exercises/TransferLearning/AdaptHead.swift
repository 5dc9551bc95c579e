import Autodiff
import ExerciseSupport
import NeuralNetworks

/// Trains only the head of an N-way model on a labelled set of images; the body stays frozen.
///
///     F = body(images)                                    computed once; no gradient reaches the body
///     L(W, b) = −(1/n) Σᵢ log softmax(Fᵢ W + b)_(yᵢ)        softmax regression on the features
///     (W, b)⁰ = the given head,   (W, b)ˢ = (W, b)ˢ⁻¹ − α ∇L((W, b)ˢ⁻¹)   for s = 1 … S
///
/// Returns `parameters` with (W, b)ᔆ in place of the head and the body's tensors exactly as
/// given. Throws when a parameter of `network` is missing or the labels do not fit the images.
public func adaptHead(
    _ parameters: Parameters, network: ConvNet, images: Tensor, labels: [Int], settings: TransferSettings
) throws -> Parameters {
    // Compute the body's features of `images` once, as constants; then take `settings.steps`
    // steps of size `settings.stepSize` on the cross-entropy of the head alone.
    throw ExerciseError.notImplemented("adaptHead")
}
