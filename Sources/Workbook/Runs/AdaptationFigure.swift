import Autodiff
import Foundation
import MetaLearning
import NeuralNetworks
import Plots
import TaskData

/// The regression figure of the MAML paper and the first homework: one new task's true function,
/// its support points, and the model's fit from the learned initialization after 0, 1, ... K
/// inner steps (thin to thick lines).
public struct AdaptationFigure {
    /// The meta-learned parameters.
    public let parameters: Parameters
    /// The model they belong to.
    public let model: MLP
    /// The task family the new task comes from.
    public let family: any TaskFamily
    /// Support points the model adapts on.
    public let shots: Int
    /// Inner step size α.
    public let innerLearningRate: Double
    /// The numbers of inner steps to draw.
    public let steps: [Int]

    /// A figure description.
    public init(parameters: Parameters, model: MLP, family: any TaskFamily, shots: Int, innerLearningRate: Double, steps: [Int]) {
        self.parameters = parameters
        self.model = model
        self.family = family
        self.shots = shots
        self.innerLearningRate = innerLearningRate
        self.steps = steps
    }

    /// What `make` draws and measures.
    public struct Outcome {
        /// The figure.
        public var figure: Figure
        /// Each drawn step count's mean squared error on the dense grid.
        public let mse: [Int: Double]
        /// The task's support points, [n, 1] each.
        public let support: (x: Tensor, y: Tensor)
        /// The dense grid and the task's true values there, [200, 1] each.
        public let grid: (x: Tensor, y: Tensor)
    }

    /// Draws a new task with `seed` and returns the figure, each step count's MSE on a dense
    /// grid, the task's support points and the grid.
    public func make(title: String, seed: UInt64) throws -> Outcome {
        var generator = SeededGenerator(seed: seed)
        let task = family.sampleTask(generator: &generator)
        let dtype = parameters.tensors.first?.dtype ?? .float32
        let (sx, sy) = family.sampleData(for: task, count: shots, generator: &generator, dtype: dtype)
        let range = family.inputRange
        let grid = (0..<200).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / 199 }
        let gridTensor = Tensor(shape: [grid.count, 1], scalars: grid, dtype: dtype)
        let truth = task(grid)

        var figure = Figure(title: title, xLabel: "x", yLabel: "y")
        try figure.addLine(x: grid, y: truth, label: "true function", color: .black, width: 2, dash: .dashed)
        try figure.addScatter(x: sx.scalars, y: sy.scalars, label: "\(shots) support points", color: .black, radius: 4)
        let loop = InnerLoop(steps: steps.max() ?? 0, learningRate: .fixed(innerLearningRate))
        let model = self.model
        let supportLoss = { (p: Parameters) in meanSquaredError(model(p, sx), sy) }
        let path = withFirstOrderGradients { loop.trajectory(from: parameters.detached(), supportLoss: supportLoss) }
        var mse: [Int: Double] = [:]
        for (index, k) in steps.sorted().enumerated() {
            let prediction = withoutRecording { model(path[k].detached(), gridTensor) }.scalars
            mse[k] = zip(prediction, truth).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(grid.count)
            try figure.addLine(x: grid, y: prediction, label: k == 0 ? "learned init" : "after \(k) step\(k == 1 ? "" : "s")",
                               width: 1 + 1.2 * Double(index))
        }
        return Outcome(figure: figure, mse: mse, support: (sx, sy), grid: (gridTensor, Tensor(shape: [grid.count, 1], scalars: truth, dtype: dtype)))
    }
}
