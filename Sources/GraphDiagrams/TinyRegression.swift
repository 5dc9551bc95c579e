import Autodiff

/// The MAML figure's task: fit y = sin(x) with a 1-4-1 tanh network on five support points,
/// judged on five query points. Weights come from a fixed seed, so the figure never changes.
struct TinyRegression {
    let supportInputs = Tensor(shape: [5, 1], scalars: [-2, -1, 0, 1, 2])
    let queryInputs = Tensor(shape: [5, 1], scalars: [-1.5, -0.5, 0.5, 1.5, 2.5])
    var supportTargets: Tensor { Autodiff.sin(supportInputs) }
    var queryTargets: Tensor { Autodiff.sin(queryInputs) }
    /// The inner learning rate α.
    let innerRate = 0.01

    /// θ₀: w1 (1×4), b1 (4), w2 (4×1), b2 (1), as named variables.
    func initialParameters() -> Parameters {
        var generator = SeededGenerator(seed: 7)
        let w1 = Tensor.randomNormal([1, 4], standardDeviation: 1, generator: &generator)
        let w2 = Tensor.randomNormal([4, 1], standardDeviation: 0.5, generator: &generator)
        return Parameters([("w1", w1), ("b1", Tensor.zeros([4])), ("w2", w2), ("b2", Tensor.zeros([1]))]).variables()
    }

    /// Mean squared error of ŷ = tanh(x w1 + b1) w2 + b2.
    func loss(_ theta: Parameters, inputs: Tensor, targets: Tensor) -> Tensor {
        let hidden = tanh(matmul(inputs, theta.require("w1")) + theta.require("b1"))
        let prediction = matmul(hidden, theta.require("w2")) + theta.require("b2")
        return meanSquaredError(prediction, targets)
    }
}
