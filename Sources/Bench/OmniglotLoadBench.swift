import ArgumentParser
import Autodiff
import Foundation
import TaskData

/// `bench omniglot-load`: times loading all of Omniglot from PNG (cold) and from the binary cache.
struct OmniglotLoadBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omniglot-load",
        abstract: "Time a cold Omniglot load (PNG decode + resize) and a cached load, and report the 1-nearest-neighbour baseline; print one JSON object.")

    @Option(name: .customLong("root"), help: "An Omniglot folder (repeatable); defaults to OMNIGLOT_ROOT.")
    var roots: [String] = []

    @Option(help: "Where to put the cache file for the measurement (it is rebuilt first).")
    var cache: String = NSTemporaryDirectory() + "omniglot-load-bench.bin"

    @Option(help: "Episodes for the 1-nearest-neighbour baseline (0 to skip it).")
    var baselineEpisodes: Int = 200

    func run() throws {
        let rootURLs = roots.isEmpty ? Omniglot.rootFromEnvironment().map { [$0] } ?? [] : roots.map { URL(fileURLWithPath: $0) }
        guard !rootURLs.isEmpty else {
            throw ValidationError("give --root DIR or set \(Omniglot.environmentVariable)")
        }
        let cacheURL = URL(fileURLWithPath: cache)
        try? FileManager.default.removeItem(at: cacheURL)

        let coldStart = Date()
        let cold = try Omniglot.load(roots: rootURLs, cache: cacheURL)
        let coldSeconds = Date().timeIntervalSince(coldStart)
        let cachedStart = Date()
        let cached = try Omniglot.load(roots: rootURLs, cache: cacheURL)
        let cachedSeconds = Date().timeIntervalSince(cachedStart)
        guard cached == cold else { throw ValidationError("the cached data set differs from the decoded one") }

        var report: [String: Any] = [
            "benchmark": "omniglot-load",
            "roots": rootURLs.map(\.path),
            "images": cold.imageCount,
            "classes": cold.classes.count,
            "alphabets": cold.groups.count,
            "cold_seconds": coldSeconds,
            "cached_seconds": cachedSeconds,
            "goal_cold_seconds": 2.0,
            "goal_cached_seconds": 0.2,
        ]
        if baselineEpisodes > 0 {
            // The same 1-nearest-neighbour pixel baseline on real characters and on synthetic glyphs.
            let glyphs = SyntheticGlyphs.dataset(classes: cold.classes.count)
            for (name, dataset) in [("omniglot", cold), ("glyphs", glyphs)] {
                var generator = SeededGenerator(seed: 0)
                for shots in [1, 5] {
                    let sampler = try EpisodeSampler(dataset: dataset, ways: 5, shots: shots, queries: 15)
                    report["nearest_neighbour_\(name)_5way_\(shots)shot"] =
                        nearestNeighbourAccuracy(sampler: sampler, episodes: baselineEpisodes, generator: &generator)
                }
            }
        }
        let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}
