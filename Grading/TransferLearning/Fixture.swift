import Autodiff
import GradingImages
import GradingRuntime
import NeuralNetworks
import TaskData
import Foundation

/// The small problem of TransferLearning's code parts: a "pretrained" all-class ConvNet (4 to 6
/// classes, 4 filters, 2 blocks: 196 features) with random weights, and 2-shot 3-query episodes of
/// synthetic glyphs, in double precision.
struct TransferProblem {
    /// The all-class network's shape.
    let shape: ConvNetShape
    /// Its parameters: body and all-class head.
    let pretrained: Parameters
    /// The episodes.
    let episodes: [Episode]

    /// A problem whose episodes have the ways in `ways` (one episode per entry).
    static func draw(_ random: inout SeededGenerator, ways: [Int]) throws -> TransferProblem {
        let shape = ConvNetShape(ways: random.int(in: 4...6), filters: 4, blocks: 2)
        let pretrained = shape.network.initialize(generator: &random, dtype: .float64)
        let episodes = try ways.map { n in
            try GlyphEpisodes.draw(count: 1, ways: n, shots: 2, queries: 3, classes: n + 3, generator: &random)[0]
        }
        return TransferProblem(shape: shape, pretrained: pretrained, episodes: episodes)
    }

    /// The problem as inputs.
    var record: Record { ["network": .record(shape.record), "pretrained": .of(pretrained), "episodes": .of(episodes)] }

    /// The problem from its inputs.
    init(_ record: Record) throws {
        self.init(shape: try ConvNetShape(record: try record.record("network")), pretrained: try record.parameters("pretrained"),
                  episodes: try Episode.list(record, "episodes"))
    }

    /// A problem of its parts.
    init(shape: ConvNetShape, pretrained: Parameters, episodes: [Episode]) {
        (self.shape, self.pretrained, self.episodes) = (shape, pretrained, episodes)
    }

    /// The body's parameters (every block, without the all-class head).
    var body: Parameters { pretrained.selecting(shape.network.featureNames) }

    /// The network of an N-way episode: the same body with an N-way head.
    func episodeNetwork(ways: Int) -> ConvNet { ConvNet(ways: ways, filters: shape.filters, blocks: shape.blocks) }

    /// "a pretrained 5-way ConvNet with 2 blocks of 4 filters, 1 episode (3-way 2-shot, 3 queries per class)".
    var description: String {
        "a pretrained \(shape.description), \(episodes.count) episode\(episodes.count == 1 ? "" : "s") of synthetic glyphs ("
            + episodes.map(\.shapeDescription).joined(separator: "; ") + ")"
    }
}

/// A new N-way head on `features` features, as the handout defines it: W ~ Glorot uniform from
/// `generator`, shape [features, N]; b = 0.
func glorotHead(features: Int, ways: Int, generator: inout SeededGenerator) -> Parameters {
    ["head.weight": Initializer.glorotUniform.tensor([features, ways], fanIn: features, fanOut: ways, dtype: .float64, generator: &generator),
     "head.bias": .zeros([ways], dtype: .float64)]
}

/// `steps` steps of softmax regression on fixed features, with the gradient written out by hand
/// (no automatic differentiation): for F [n, D], Z = F W + b, P = softmax(Z) row by row and Y the
/// one-hot labels, ∇_W L = Fᵀ (P − Y) / n and ∇_b L = Σ_rows (P − Y) / n.
func softmaxRegression(features: Tensor, labels: [Int], weight: Tensor, bias: Tensor, steps: Int, stepSize: Double) -> (weight: Tensor, bias: Tensor) {
    let (n, d, k) = (features.shape[0], features.shape[1], bias.shape[0])
    let f = features.scalars
    var w = weight.scalars, b = bias.scalars
    for _ in 0..<steps {
        var gradW = [Double](repeating: 0, count: d * k), gradB = [Double](repeating: 0, count: k)
        for row in 0..<n {
            let z = (0..<k).map { c in b[c] + (0..<d).reduce(0) { $0 + f[row * d + $1] * w[$1 * k + c] } }
            let top = z.max()!
            let e = z.map { Foundation.exp($0 - top) }
            let total = e.reduce(0, +)
            for c in 0..<k {
                let residual = e[c] / total - (labels[row] == c ? 1 : 0)
                gradB[c] += residual / Double(n)
                for j in 0..<d { gradW[j * k + c] += f[row * d + j] * residual / Double(n) }
            }
        }
        w = zip(w, gradW).map { $0 - stepSize * $1 }
        b = zip(b, gradB).map { $0 - stepSize * $1 }
    }
    return (Tensor(shape: weight.shape, scalars: w), Tensor(shape: bias.shape, scalars: b))
}

/// True when both collections hold the same names and exactly the same values (order aside).
func identical(_ a: Parameters, _ b: Parameters) -> Bool {
    Set(a.names) == Set(b.names) && a.count == b.count
        && b.allSatisfy { name, tensor in a[name].map { $0.shape == tensor.shape && $0.scalars == tensor.scalars } ?? false }
}
