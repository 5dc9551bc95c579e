/// Shrinks square images by area averaging (each output pixel is the mean of the input area it covers).
///
/// With scale s = inputSide / outputSide, output pixel i covers input interval [i s, (i + 1) s); input
/// pixel j contributes its overlap |[j, j + 1) ∩ [i s, (i + 1) s)| / s. The 2-D weights are the
/// product of the 1-D ones, so out = W * in * W^T with W the `outputSide x inputSide` overlap matrix.
struct AreaResize: Sendable {
    /// One output row's (or column's) contributing input indices and weights.
    let taps: [[(index: Int, weight: Float)]]
    let inputSide: Int
    let outputSide: Int

    init(inputSide: Int, outputSide: Int) {
        self.inputSide = inputSide
        self.outputSide = outputSide
        let scale = Double(inputSide) / Double(outputSide)
        taps = (0..<outputSide).map { i in
            let start = Double(i) * scale, end = Double(i + 1) * scale
            return (Int(start.rounded(.down))..<min(inputSide, Int(end.rounded(.up)))).compactMap { j in
                let overlap = min(end, Double(j + 1)) - max(start, Double(j))
                return overlap > 1e-12 ? (j, Float(overlap / scale)) : nil
            }
        }
    }

    /// Resizes one image of `inputSide^2` values into `output` (`outputSide^2` values), rows then columns.
    func resize(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        var rows = [Float](repeating: 0, count: outputSide * inputSide)
        // First along y: rows[i][x] = sum_j W[i][j] in[j][x].
        for i in 0..<outputSide {
            for (j, w) in taps[i] {
                for x in 0..<inputSide { rows[i * inputSide + x] += w * input[j * inputSide + x] }
            }
        }
        // Then along x: out[i][k] = sum_j rows[i][j] W[k][j].
        for i in 0..<outputSide {
            for k in 0..<outputSide {
                var sum: Float = 0
                for (j, w) in taps[k] { sum += w * rows[i * inputSide + j] }
                output[i * outputSide + k] = sum
            }
        }
    }
}
