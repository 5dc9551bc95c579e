import Autodiff

/// The 1-nearest-neighbour pixel baseline: each query takes the label of the support image closest
/// in squared Euclidean distance, sum_p (q_p - s_p)^2. Returns the fraction of queries labelled correctly.
public func nearestNeighbourAccuracy(_ episode: Episode) -> Double {
    let size = ImageDataset.pixelsPerImage
    let support = episode.supportImages.floats
    let query = episode.queryImages.floats
    guard !episode.queryLabels.isEmpty else { return 0 }
    var correct = 0
    for (q, label) in episode.queryLabels.enumerated() {
        var best = Float.infinity
        var bestLabel = -1
        for (s, supportLabel) in episode.supportLabels.enumerated() {
            var distance: Float = 0
            for p in 0..<size {
                let d = query[q * size + p] - support[s * size + p]
                distance += d * d
            }
            if distance < best { best = distance; bestLabel = supportLabel }
        }
        if bestLabel == label { correct += 1 }
    }
    return Double(correct) / Double(episode.queryLabels.count)
}

/// The mean 1-nearest-neighbour accuracy over `episodes` episodes drawn from `sampler`.
public func nearestNeighbourAccuracy(sampler: EpisodeSampler, episodes: Int, generator: inout SeededGenerator) -> Double {
    check(episodes > 0, "nearestNeighbourAccuracy: need at least one episode")
    var total = 0.0
    for _ in 0..<episodes { total += nearestNeighbourAccuracy(sampler.sample(generator: &generator)) }
    return total / Double(episodes)
}
