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
    if let missing = network.parameterNames.first(where: { parameters[$0] == nil }) {
        throw ExerciseError.invalidArgument("adaptHead: no parameter named '\(missing)' (have \(parameters.names))")
    }
    guard images.rank == 4, images.shape[0] == labels.count else {
        throw ExerciseError.invalidArgument("adaptHead: \(labels.count) labels for images of shape \(images.shape)")
    }
    guard labels.allSatisfy({ (0..<network.ways).contains($0) }) else {
        throw ExerciseError.invalidArgument("adaptHead: labels must lie in 0..<\(network.ways), got \(labels)")
    }
    let features = network.features(parameters, images).detached()
    let loss = { (head: Parameters) in crossEntropy(logits: network.head(head, features), labels: labels) }
    var head = parameters.selecting(network.headNames)
    for _ in 0..<settings.steps {
        head = head - settings.stepSize * grad(loss)(head)
    }
    return parameters.merging(head)
}
