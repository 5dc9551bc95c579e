import ExerciseChapters
import FOMAML

extension Linked {
    /// `fomaml-omniglot`: FOMAML's loops and its given training harness.
    static var fomaml: FOMAMLChapter.Functions {
        FOMAMLChapter.Functions(
            innerLoop: { try innerLoop($0, episode: $1, model: $2, settings: $3) },
            outerLoop: { try outerLoop($0, episodes: $1, model: $2, adapt: $3) },
            train: { data, settings, progress in try trainFOMAML(data: data, settings: settings, progress: progress) })
    }
}
