/// The lecture workbook's chapters in course order.
public enum ChapterCatalog {
    /// Every chapter, in course order.
    public static let all: [any Chapter] = [
        AutodiffChapter(), MAMLToyChapter(), AdamChapter(), SineMAMLChapter(), UnrolledSGDChapter(),
        FOMAMLOmniglotChapter(), TransferChapter(), ReptileANILChapter(), MAMLRLChapter(),
    ]

    /// The chapters named by `name`: one id, or `all`; throws for an unknown id, listing the known ones.
    public static func chapters(named name: String) throws -> [any Chapter] {
        try all.named(name)
    }
}
