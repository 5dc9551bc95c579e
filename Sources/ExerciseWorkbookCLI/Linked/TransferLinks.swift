import ExerciseChapters
import TransferLearning

extension Linked {
    /// `transfer`: TransferLearning.
    static var transfer: TransferChapter.Functions {
        TransferChapter.Functions(
            adaptHead: { try adaptHead($0, network: $1, images: $2, labels: $3, settings: $4) },
            transferLearnEpisode: { try transferLearn($0, episode: $1, head: $2, adapt: $3) },
            transferLearnEpisodes: { try transferLearn($0, episodes: $1, generator: &$2, learn: $3) })
    }
}
