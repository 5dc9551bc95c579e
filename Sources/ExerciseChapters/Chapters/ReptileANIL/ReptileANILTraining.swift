import Autodiff
import NeuralNetworks
import Notebook
import Plots
import ReptileAndANIL

extension ReptileANILChapter {
    /// A meta-trained initialization and its validation curve.
    struct Trained {
        /// The initialization after training.
        let parameters: Parameters
        /// (iteration, mean query MSE after adaptation on the held-out tasks).
        let curve: [(Int, Double)]
    }

    /// Ten held-out tasks, the same for both methods.
    static func heldOutTasks(seed: UInt64) -> [(support: (Parameters) -> Tensor, query: (Parameters) -> Tensor)] {
        var generator = SeededGenerator(seed: seed)
        return (0..<10).map { _ in sampleTask(&generator) }
    }

    /// The mean query MSE over `tasks` after `adapt` on each support set.
    static func heldOutError(_ tasks: [(support: (Parameters) -> Tensor, query: (Parameters) -> Tensor)],
                             adapt: (@escaping (Parameters) -> Tensor) throws -> Parameters) throws -> Double {
        let errors = try tasks.map { task in task.query(try withFirstOrderGradients { try adapt(task.support) }.detached()).scalar }
        return try finite(errors.reduce(0, +) / Double(errors.count), "the held-out error")
    }

    /// Reptile trained by the student's batched update.
    func reptileSection(_ book: Notebook, _ gate: ExerciseGate, iterations: Int) throws -> Trained? {
        book.section("Reptile with your update")
        try book.paragraph("Each iteration hands \(Self.tasksPerUpdate) new tasks to your `reptileBatchedStep` with $\\beta = "
            + "\(Self.reptileStepSize)$. No gradient of the query loss is ever taken: the query points only judge the held-out tasks.")
        let functions = self.functions
        let seed = book.settings.seed
        guard let trained = try gate.run(functions.reptileChecks, doing: "training Reptile", { () -> Trained in
            let inner = try functions.inner()
            var generator = SeededGenerator(seed: seed &+ 41)
            var phi = Self.model.initialize(generator: &generator)
            let heldOut = Self.heldOutTasks(seed: seed &+ 40)
            let every = max(1, iterations / 20)
            var curve: [(Int, Double)] = []
            for iteration in 1...iterations {
                let costs = (0..<Self.tasksPerUpdate).map { _ in Self.sampleTask(&generator).support }
                phi = try withFirstOrderGradients { try functions.reptileBatchedStep(phi, costs, inner, Self.reptileStepSize) }.detached()
                if iteration % every == 0 || iteration == iterations {
                    curve.append((iteration, try Self.heldOutError(heldOut) { try inner.run($0, from: phi) }))
                }
            }
            return Trained(parameters: phi, curve: curve)
        }) else { return nil }
        try book.figure(try Self.curveFigure(trained.curve, title: "Reptile: held-out error after k of your steps"), name: "reptile",
                        caption: "Mean over 10 held-out waves of the query error after adapting the whole network.")
        try book.keyNumbers([("reptile_held_out_error", "Reptile's final held-out error", trained.curve.last!.1)])
        return trained
    }

    /// ANIL trained by Adam (rate 0.001) on the query loss after the student's head-only inner loop.
    func anilSection(_ book: Notebook, _ gate: ExerciseGate, iterations: Int) throws -> Trained? {
        book.section("ANIL with your inner loop")
        try book.paragraph("The outer loop averages the query losses after your `anilAdapt` over \(Self.tasksPerUpdate) tasks and lets "
            + "Adam (rate 0.001) follow their gradient. That gradient reaches the body too, both directly and through the head's steps.")
        let functions = self.functions
        let seed = book.settings.seed
        guard let trained = try gate.run(functions.anilChecks, doing: "training ANIL", { () -> Trained in
            let inner = try functions.inner()
            var generator = SeededGenerator(seed: seed &+ 42)
            var theta = Self.model.initialize(generator: &generator)
            let adam = Adam(learningRate: 1e-3)
            var state = adam.initialState(for: theta)
            let heldOut = Self.heldOutTasks(seed: seed &+ 40)
            let every = max(1, iterations / 20)
            var curve: [(Int, Double)] = []
            for iteration in 1...iterations {
                let tasks = (0..<Self.tasksPerUpdate).map { _ in Self.sampleTask(&generator) }
                let objective = { (p: Parameters) throws -> Tensor in
                    try tasks.map { task in task.query(try functions.anilAdapt(p, Self.headNames, task.support, inner)) }
                        .reduce(Tensor(0.0), +) / Double(tasks.count)
                }
                let (loss, gradient) = try valueAndGradient(throwing: objective, at: theta)
                _ = try finite(loss.scalar, "the meta-loss of iteration \(iteration)")
                (theta, state) = adam.step(theta, gradient, state)
                theta = theta.detached()
                if iteration % every == 0 || iteration == iterations {
                    curve.append((iteration, try Self.heldOutError(heldOut) { try functions.anilAdapt(theta, Self.headNames, $0, inner) }))
                }
            }
            return Trained(parameters: theta, curve: curve)
        }) else { return nil }
        try book.figure(try Self.curveFigure(trained.curve, title: "ANIL: held-out error after k head-only steps"), name: "anil",
                        caption: "Mean over the same 10 held-out waves, adapting the head only.")
        try book.keyNumbers([("anil_held_out_error", "ANIL's final held-out error", trained.curve.last!.1)])
        return trained
    }

    /// Reptile's initialization adapted in full and head-only, and ANIL's head-only, on the same new tasks.
    func reuseSection(_ book: Notebook, _ gate: ExerciseGate, reptile: Trained?, anil: Trained?, tasks: Int) throws {
        book.section("Adapt everything, or only the head?")
        try book.paragraph("If a network's features already suit every task, adapting the head alone does as well as adapting "
            + "everything. Reptile's initialization adapts to \(tasks) new waves both ways; ANIL's, trained for it, adapts its head.")
        let checks = functions.reptileChecks + functions.anilChecks
        guard let reptile, let anil else {
            if try gate.open(checks) { try book.note("A training section above stopped, so there is nothing to compare.", kind: .warning) }
            return
        }
        let functions = self.functions
        let seed = book.settings.seed
        guard let errors = try gate.run(checks, doing: "adapting on new tasks", { () -> [Double] in
            let inner = try functions.inner()
            var generator = SeededGenerator(seed: seed &+ 43)
            let newTasks = (0..<tasks).map { _ in Self.sampleTask(&generator) }
            return [try Self.heldOutError(newTasks) { try inner.run($0, from: reptile.parameters) },
                    try Self.heldOutError(newTasks) { try functions.anilAdapt(reptile.parameters, Self.headNames, $0, inner) },
                    try Self.heldOutError(newTasks) { try functions.anilAdapt(anil.parameters, Self.headNames, $0, inner) }]
        }) else { return }
        for (key, value) in zip(["reptile_full", "reptile_head", "anil_head"], errors) { try book.record("\(key)_error", value) }
        try book.table(ResultTable(header: ["initialization", "whole network adapts", "head only"], rows: [
            [.text("Reptile"), .metric("reptile_full_error"), .metric("reptile_head_error")],
            [.text("ANIL"), .text("–"), .metric("anil_head_error")],
        ], caption: "Mean query MSE after k = \(Self.innerSteps) steps of your `gdStep` on \(tasks) new waves. ANIL's body was never "
            + "trained to move, so its initialization is only adapted the way it was trained."))
    }
}
