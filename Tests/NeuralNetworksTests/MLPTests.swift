import Autodiff
import Foundation
import NeuralNetworks
import Testing

@Suite struct MLPTests {
    @Test func parametersAreNamedAndShapedLayerByLayer() {
        var generator = SeededGenerator(seed: 1)
        let params = MLP(sizes: [1, 40, 40, 1], activation: .relu).initialize(generator: &generator, dtype: .float32)
        #expect(params.names == ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias", "layer3.weight", "layer3.bias"])
        #expect(params.tensors.map(\.shape) == [[1, 40], [40], [40, 40], [40], [40, 1], [1]])
        #expect(params.tensors.allSatisfy { $0.dtype == .float32 })
        #expect(params.require("layer2.bias").scalars.allSatisfy { $0 == 0 })
    }

    @Test func outputHasOneRowPerInput() {
        var generator = SeededGenerator(seed: 2)
        let model = MLP(sizes: [3, 8, 2], activation: .tanh)
        let params = model.initialize(generator: &generator)
        let x = Tensor.randomNormal([5, 3], generator: &generator)
        #expect(model(params, x).shape == [5, 2])
    }

    @Test func forwardIsTheLayerFormula() {
        // One hidden unit per layer, by hand: relu(2·x + 1) · 3 - 1.
        let model = MLP(sizes: [1, 1, 1], activation: .relu)
        let params: Parameters = [
            "layer1.weight": Tensor(rows: [[2]]), "layer1.bias": Tensor([1]),
            "layer2.weight": Tensor(rows: [[3]]), "layer2.bias": Tensor([-1]),
        ]
        #expect(model(params, Tensor(rows: [[1], [-2]])).scalars == [8, -1])
    }

    @Test func activationsMatchTheirFormulas() {
        let x = Tensor([-1.5, 0, 2])
        #expect(Activation.relu(x).scalars == [0, 0, 2])
        #expect(Activation.identity(x).scalars == x.scalars)
        let expectedTanh = x.scalars.map { (1 - Foundation.exp(-2 * $0)) / (1 + Foundation.exp(-2 * $0)) }
        for (a, b) in zip(Activation.tanh(x).scalars, expectedTanh) { #expect(Swift.abs(a - b) < 1e-12) }
        let expectedSigmoid = x.scalars.map { 1 / (1 + Foundation.exp(-$0)) }
        for (a, b) in zip(Activation.sigmoid(x).scalars, expectedSigmoid) { #expect(Swift.abs(a - b) < 1e-12) }
    }

    @Test func batchedParametersGiveEachTaskItsOwnNetwork() {
        var generator = SeededGenerator(seed: 3)
        let model = MLP(sizes: [2, 6, 6, 1], activation: .relu)
        let tasks = 3
        let perTask = (0..<tasks).map { _ in model.initialize(generator: &generator, initializer: .gaussian(standardDeviation: 0.5)) }
        let inputs = (0..<tasks).map { _ in Tensor.randomNormal([4, 2], generator: &generator) }
        // Stack each parameter over tasks: weights [T, in, out], biases [T, 1, out].
        let batched = Parameters(model.parameterNames.map { name in
            (name, stack(perTask.map { p in
                let t = p.require(name)
                return t.rank == 1 ? t.reshaped([1, t.shape[0]]) : t
            }))
        })
        let output = model(batched, stack(inputs))
        #expect(output.shape == [tasks, 4, 1])
        for task in 0..<tasks {
            let alone = model(perTask[task], inputs[task]).scalars
            let slice = output.sliced(axis: 0, task..<(task + 1)).scalars
            for (a, b) in zip(alone, slice) { #expect(Swift.abs(a - b) < 1e-12) }
        }
    }

    @Test func gradientMatchesFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 4)
        let model = MLP(sizes: [2, 5, 1], activation: .tanh)
        let params = model.initialize(generator: &generator)
        let x = Tensor.randomNormal([6, 2], generator: &generator)
        let y = Tensor.randomNormal([6, 1], generator: &generator)
        let loss = { (p: Parameters) in meanSquaredError(model(p, x), y) }
        try checkGradients(loss, at: params, order: 2, tolerance: 1e-7)
    }
}
