import Autodiff
import Plots
import TaskData

/// An episode's drawings as image grids: one column per class, so a column holds one class's
/// support drawings (or queries) and the caption gives the label the learner must predict.
public enum EpisodeGrid {
    /// The support set, or the first `rows` queries of each class, with a CSV of (image, role, label, class).
    public static func make(_ episode: Episode, ways: Int, query: Bool, rows: Int, title: String) throws -> (grid: ImageGrid, csv: String) {
        let images = (query ? episode.queryImages : episode.supportImages).floats
        let labels = query ? episode.queryLabels : episode.supportLabels
        let perClass = labels.count / ways
        let shown = min(rows, perClass)
        let size = ImageDataset.pixelsPerImage
        var grid = ImageGrid(columns: ways, title: title, imageSize: 56)
        var csv = "image,role,label,class\n"
        for row in 0..<shown {
            for label in 0..<ways {
                // Rows are stored class by class: image (label, row) is at label * perClass + row.
                let index = label * perClass + row
                // Ink is stored as 1; draw it dark on white paper: brightness = 1 - ink.
                let pixels = images[index * size..<(index + 1) * size].map { 1 - $0 }
                try grid.addImage(Array(pixels), width: ImageDataset.side, height: ImageDataset.side,
                                  caption: query ? "is \(labels[index])" : "label \(labels[index])")
                csv += "\(index),\(query ? "query" : "support"),\(labels[index]),\(episode.classNames[label])\n"
            }
        }
        return (grid, csv)
    }
}
