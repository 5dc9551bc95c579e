import Autodiff
import NeuralNetworks
import Notebook
import SineMAML

extension SineMAMLChapter {
    /// MAML's init against a network pre-trained on every wave at once and against the random
    /// init, each scored by the student's one-step loss on the same new waves.
    func baselineSection(_ book: Notebook, _ gate: ExerciseGate, trained: Trained?, waves: Int, iterations: Int) throws {
        book.section("MAML against pre-training on all waves")
        try book.paragraph("Would any network that has seen many waves adapt as well? The baseline trains the same network, for "
            + "as many iterations, on the points of all waves at once as ordinary regression, ignoring which wave they belong to. "
            + "Then both starting points take one step of your `adaptationLoss` on \(waves) new waves.")
        guard let trained else { return try Self.missingNetwork(book, gate, functions.checks) }
        let adaptationLoss = functions.adaptationLoss
        let seed = book.settings.seed
        guard let means = try gate.run(functions.checks, doing: "scoring both starting points", { () -> [Double] in
            book.progress("pre-training the baseline for \(iterations) iterations")
            let pretrained = try Self.pretrain(from: trained.initial, iterations: iterations, seed: seed &+ 24)
            var generator = SeededGenerator(seed: seed &+ 25)
            let batch = try SineTasks.sample(count: waves, supportSize: Self.shots, querySize: Self.shots, using: &generator)
            return try [trained.learned, pretrained].map { start in
                let total = try (0..<waves).map { t in
                    let task = batch.task(t)
                    return try adaptationLoss(start, task.support, task.query, Self.stepSize).scalar
                }.reduce(0, +)
                return try finite(total / Double(waves * Self.shots), "the mean squared error after one step")
            }
        }) else { return }
        var rows: [[TableCell]] = []
        let labels = [("maml", "MAML (your training)"), ("pretrained", "pre-trained on all waves")]
        for ((key, label), value) in zip(labels, means) {
            try book.record("\(key)_mse_after_step", value, digits: 3)
            rows.append([.text(label), .metric("\(key)_mse_after_step")])
        }
        try book.table(ResultTable(header: ["initialization", "mean squared error after one step"], rows: rows,
                                   caption: "Your `adaptationLoss` on \(waves) new waves, \(Self.shots) support and \(Self.shots) query points, α = \(Self.stepSize); per query point."))
        try book.paragraph(means[0] < means[1]
            ? "The pre-trained network fits the *average* wave, nearly flat, and one small step cannot turn it into a particular "
                + "wave; MAML's initialization was trained for exactly that step."
            : "With this budget the pre-trained network keeps up; longer meta-training (the full budget) separates them.")
    }

    /// The baseline: ordinary regression of one network on the points of 10 waves at a time, all
    /// in one column (which wave a point came from is forgotten), by Adam (rate 0.005) on the mean
    /// squared error, for as many iterations as meta-training.
    static func pretrain(from start: Parameters, iterations: Int, seed: UInt64) throws -> Parameters {
        var generator = SeededGenerator(seed: seed)
        var theta = start
        let adam = Adam(learningRate: 0.005)
        var state = adam.initialState(for: theta)
        for _ in 0..<iterations {
            let batch = try SineTasks.sample(count: 10, supportSize: shots, querySize: shots, using: &generator)
            let x = batch.supportInputs.reshaped([10 * shots, 1]), y = batch.supportTargets.reshaped([10 * shots, 1])
            let gradient = grad { (p: Parameters) in meanSquaredError(sineNetwork(p, x), y) }(theta)
            (theta, state) = adam.step(theta, gradient, state)
            theta = theta.detached()
        }
        return theta
    }
}
