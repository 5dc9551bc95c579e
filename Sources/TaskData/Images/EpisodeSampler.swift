import Autodiff

/// One N-way K-shot classification task: support and query images with labels 0..<N.
///
/// Images are ordered class by class: support rows `c*K ..< (c+1)*K` have label c, query rows
/// `c*Q ..< (c+1)*Q` likewise.
public struct Episode: Sendable {
    /// Support images, `[N*K, 1, 28, 28]`.
    public let supportImages: Tensor
    /// Support labels, each of 0..<N repeated K times.
    public let supportLabels: [Int]
    /// Query images, `[N*Q, 1, 28, 28]`.
    public let queryImages: Tensor
    /// Query labels, each of 0..<N repeated Q times.
    public let queryLabels: [Int]
    /// The data-set class behind each episode label (index = label).
    public let classNames: [String]

    /// An episode of given images and labels (from outside data, or sent to a program): images
    /// `[count, channels, height, width]`, one label per image. Throws when the counts differ.
    public init(supportImages: Tensor, supportLabels: [Int], queryImages: Tensor, queryLabels: [Int], classNames: [String] = []) throws {
        guard supportImages.rank == 4, supportImages.shape[0] == supportLabels.count else {
            throw TaskDataError.invalidArgument("Episode: support images of shape \(supportImages.shape) do not fit \(supportLabels.count) labels")
        }
        guard queryImages.rank == 4, queryImages.shape[0] == queryLabels.count else {
            throw TaskDataError.invalidArgument("Episode: query images of shape \(queryImages.shape) do not fit \(queryLabels.count) labels")
        }
        self.init(checkedSupport: supportImages, supportLabels: supportLabels, queryImages: queryImages, queryLabels: queryLabels,
                  classNames: classNames)
    }

    /// N, the number of classes: the class names given, else 1 + the largest label.
    public var ways: Int {
        classNames.isEmpty ? (supportLabels + queryLabels).max().map { $0 + 1 } ?? 0 : classNames.count
    }

    /// `count` 28×28 images, row after row in `pixels`, as a `[count, 1, 28, 28]` tensor of `dtype`.
    static func imageTensor(_ pixels: [Float], count: Int, dtype: DType) -> Tensor {
        let shape = [count, 1, ImageDataset.side, ImageDataset.side]
        return dtype == .float32 ? Tensor(shape: shape, floats: pixels)
                                 : Tensor(shape: shape, scalars: pixels.map(Double.init), dtype: dtype)
    }

    /// An episode whose images and labels are known to fit (the sampler's own).
    init(checkedSupport supportImages: Tensor, supportLabels: [Int], queryImages: Tensor, queryLabels: [Int], classNames: [String]) {
        (self.supportImages, self.supportLabels, self.queryImages, self.queryLabels) = (supportImages, supportLabels, queryImages, queryLabels)
        self.classNames = classNames
    }
}

/// Draws N-way K-shot Q-query episodes from an image data set.
///
/// An episode picks N distinct classes at random and, inside each, K + Q distinct drawings at random
/// (the first K for support, the other Q for queries); class c of the episode gets label c.
public struct EpisodeSampler: Sendable {
    /// The data set episodes come from.
    public let dataset: ImageDataset
    /// N, the classes per episode.
    public let ways: Int
    /// K, the support drawings per class.
    public let shots: Int
    /// Q, the query drawings per class.
    public let queries: Int
    /// The element type of the image tensors.
    public let dtype: DType
    /// Whether all N classes of an episode come from one group (one alphabet of Omniglot): the
    /// harder standard of the original one-shot benchmark, where the classes look alike.
    public let withinGroup: Bool
    /// For within-group sampling, the classes of each group that has at least N of them.
    private let groups: [[Int]]

    /// A sampler; throws if the data set has fewer than N classes or any class has fewer than
    /// K + Q drawings, or, `withinGroup`, if no group has N classes.
    public init(dataset: ImageDataset, ways: Int, shots: Int, queries: Int, dtype: DType = .float32, withinGroup: Bool = false) throws {
        guard ways > 0, shots > 0, queries >= 0 else {
            throw TaskDataError.invalidArgument("EpisodeSampler: need ways > 0, shots > 0, queries >= 0; got \(ways), \(shots), \(queries)")
        }
        guard dataset.classes.count >= ways else {
            throw TaskDataError.tooFewClasses(available: dataset.classes.count, needed: ways)
        }
        if let short = dataset.classes.first(where: { $0.imageCount < shots + queries }) {
            throw TaskDataError.tooFewDrawings(className: short.name, available: short.imageCount, needed: shots + queries)
        }
        var members: [String: [Int]] = [:]
        for (index, imageClass) in dataset.classes.enumerated() { members[imageClass.group, default: []].append(index) }
        let groups = members.keys.sorted().compactMap { members[$0]!.count >= ways ? members[$0]! : nil }
        if withinGroup, groups.isEmpty {
            throw TaskDataError.invalidArgument("EpisodeSampler: within-alphabet episodes need an alphabet of \(ways) classes; "
                + "the largest has \(members.values.map(\.count).max() ?? 0)")
        }
        self.dataset = dataset
        self.ways = ways
        self.shots = shots
        self.queries = queries
        self.dtype = dtype
        self.withinGroup = withinGroup
        self.groups = withinGroup ? groups : []
    }

    /// One random episode.
    public func sample(generator: inout SeededGenerator) -> Episode {
        let chosen: [Int]
        if withinGroup {
            // A group with at least N classes, then N of its classes.
            let group = groups[generator.int(below: groups.count)]
            chosen = generator.permutation(group.count).prefix(ways).map { group[$0] }
        } else {
            chosen = Array(generator.permutation(dataset.classes.count).prefix(ways))
        }
        let size = ImageDataset.pixelsPerImage
        var support = [Float](), query = [Float]()
        support.reserveCapacity(ways * shots * size)
        query.reserveCapacity(ways * queries * size)
        for classIndex in chosen {
            let imageClass = dataset.classes[classIndex]
            let drawings = generator.permutation(imageClass.imageCount)
            for d in drawings[0..<shots] { support += imageClass.image(d) }
            for d in drawings[shots..<shots + queries] { query += imageClass.image(d) }
        }
        return Episode(
            checkedSupport: Episode.imageTensor(support, count: ways * shots, dtype: dtype),
            supportLabels: (0..<ways).flatMap { Array(repeating: $0, count: shots) },
            queryImages: Episode.imageTensor(query, count: ways * queries, dtype: dtype),
            queryLabels: (0..<ways).flatMap { Array(repeating: $0, count: queries) },
            classNames: chosen.map { dataset.classes[$0].name })
    }

    /// A meta-batch of `count` episodes, drawn one after another from the same generator.
    public func sampleBatch(count: Int, generator: inout SeededGenerator) -> [Episode] {
        (0..<count).map { _ in sample(generator: &generator) }
    }
}
