import Autodiff
import Foundation
import MetaLearning
import Testing
import TaskData
@testable import Workbook

@Suite("Helpers of the image-classification chapters")
struct ImageChapterHelperTests {
    /// A notebook writing into a fresh temporary folder, silently.
    func notebook(_ budget: Budget) -> Notebook {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("image-helpers-\(UUID().uuidString)")
        return Notebook(id: "helpers", title: "Helpers", folder: folder,
                        settings: ChapterSettings(budget: budget, seed: 5, showProgress: false), say: { _ in })
    }

    @Test("the spread over seeds is the pointwise mean, lowest and highest run")
    func seedSpread() throws {
        let curves: [[(iteration: Int, value: Double)]] = [
            [(10, 0.2), (20, 0.6), (30, 0.5)],
            [(10, 0.4), (20, 0.8), (30, 0.9)],
        ]
        let spread = try SeedSpread(curves: curves)
        #expect(spread.x == [10, 20, 30])
        #expect(zip(spread.mean, [0.3, 0.7, 0.7]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(spread.lower == [0.2, 0.6, 0.5])
        #expect(spread.upper == [0.4, 0.8, 0.9])
        // The mean never falls below its best so far here; the band is 0.2, 0.2 and 0.4 wide.
        #expect(spread.largestSetback == 0)
        #expect(abs(spread.meanWidth - 0.8 / 3) < 1e-12)
        let dipping = try SeedSpread(curves: [[(1, 0.5), (2, 0.9), (3, 0.4), (4, 0.95)]])
        #expect(abs(dipping.largestSetback - 0.5) < 1e-12)
    }

    @Test("a spread of no curves, or of curves measured at different iterations, is a clear error")
    func seedSpreadErrors() {
        #expect { try SeedSpread(curves: []) } throws: { String(describing: $0).contains("at least one") }
        #expect { try SeedSpread(curves: [[(1, 0.5), (2, 0.6)], [(1, 0.5), (3, 0.6)]]) } throws: {
            String(describing: $0).contains("curve 2") && String(describing: $0).contains("other iterations")
        }
    }

    @Test("the budgets pick smaller runs for quick and test, and keep the course's rates")
    func budgets() {
        let full = ImageBudget(book: notebook(.full))
        let test = ImageBudget(book: notebook(.test))
        #expect((full.ways, full.shots, full.filters, full.innerSteps) == (5, 1, 32, 5))
        #expect(ImageBudget(book: notebook(.full), fullShots: 5, fullIterations: 250).shots == 5)
        #expect(ImageBudget(book: notebook(.quick), fullShots: 5).shots == 1)
        #expect(test.filters < full.filters && test.iterations < full.iterations && test.metaBatch <= full.metaBatch)
        let configuration = full.configuration(.fomaml, seed: 7)
        #expect(configuration.innerLearningRate == 0.4 && configuration.outerLearningRate == 1e-3)
        #expect(configuration.algorithm == .fomaml && configuration.seed == 7 && configuration.iterations == full.iterations)
        #expect(configuration.evaluationInnerSteps == full.innerSteps)
        #expect(full.note().contains(ImageBudget.courseCommand))
        #expect(ImageBudget.courseCommand.hasPrefix("workbook train fomaml --tasks omniglot"))
        #expect(ImageBudget.count(1, "step") == "1 step" && ImageBudget.count(5, "step") == "5 steps")
    }

    @Test("an episode grid has one column per class, its labels, and ink drawn dark on white")
    func episodeGrid() throws {
        let dataset = SyntheticGlyphs.dataset(classes: 12, drawingsPerClass: 6)
        let sampler = try EpisodeSampler(dataset: dataset, ways: 3, shots: 2, queries: 4)
        var generator = SeededGenerator(seed: 1)
        let episode = sampler.sample(generator: &generator)
        let support = try EpisodeGrid.make(episode, ways: 3, query: false, rows: 5, title: "support")
        #expect(support.grid.columns == 3 && support.grid.images.count == 6)
        #expect(support.grid.images.map(\.caption) == ["label 0", "label 1", "label 2", "label 0", "label 1", "label 2"])
        let lines = support.csv.split(separator: "\n")
        #expect(lines.count == 7 && lines[0] == "image,role,label,class")
        #expect(lines[2] == "2,support,1,\(episode.classNames[1])")  // row 0, class 1 is stored image 1 * 2 + 0
        let ink = episode.supportImages.floats[2 * 784..<3 * 784]
        #expect(zip(support.grid.images[1].pixels, ink).allSatisfy { abs(Double($0) / 255 - (1 - Double($1))) <= 0.5 / 255 + 1e-6 })
        let query = try EpisodeGrid.make(episode, ways: 3, query: true, rows: 3, title: "query")
        #expect(query.grid.images.count == 9 && query.grid.images[4].caption == "is 1")
        #expect(parsesAsXML(try query.grid.svg()))
    }

    @Test("the data come from OMNIGLOT_ROOT when it is set, a bad folder is an error, and glyphs otherwise")
    func dataSource() throws {
        let budget = ImageBudget(book: notebook(.test))
        let glyphs = try ImageData(budget: budget, environment: [:])
        #expect(!glyphs.isOmniglot && glyphs.dataset.classes.count == budget.syntheticClasses)
        let problem = try glyphs.problem()
        #expect(problem.training.ways == budget.ways && problem.model.filters == budget.filters)
        let book = notebook(.test)
        try glyphs.describe(in: book)
        #expect(book.metrics["training_classes"]!.value == Double(problem.training.dataset.classes.count))
        #expect(book.metrics["data_characters"]!.value == Double(budget.syntheticClasses))
        #expect(throws: (any Error).self) { try ImageData(budget: budget, environment: ["OMNIGLOT_ROOT": "/nonexistent/omniglot"]) }
    }
}
