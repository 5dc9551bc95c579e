import Testing
@testable import Autodiff

/// The channels-first to padded channels-last copy that the channels-last and Winograd
/// convolutions read, against its definition xp[n, i + p, j + p, c] = x[n, c, i, j].
@Suite("Padding to channels-last")
struct ChannelsLastLayoutTests {
    /// Checks every value of the padded copy of `batch` images of `channels` x `height` x `width`:
    /// the image's value inside, zero in the border.
    func check<S: TensorScalar>(batch: Int, channels: Int, height: Int, width: Int, _: S.Type) {
        let g = ConvGeometry(channels: channels, height: height, width: width, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        let layout = Kernels.PaddedLayout(g)
        let count = batch * channels * height * width
        let x = UnsafeMutablePointer<S>.allocate(capacity: count), xp = UnsafeMutablePointer<S>.allocate(capacity: batch * layout.image)
        defer {
            x.deallocate()
            xp.deallocate()
        }
        for k in 0..<count { x[k] = S(Double(k + 1)) }  // distinct, nonzero values
        xp.initialize(repeating: -1, count: batch * layout.image)  // a value the copy never writes
        Kernels.padChannelsLast(x, g, layout, batch: batch, into: xp)
        var wrong = 0
        for n in 0..<batch {
            for i in 0..<layout.rows {
                for j in 0..<layout.columns {
                    for c in 0..<channels {
                        let (row, column) = (i - 1, j - 1)
                        let inside = (0..<height).contains(row) && (0..<width).contains(column)
                        let expected = inside ? x[((n * channels + c) * height + row) * width + column] : 0
                        if xp[n * layout.image + (i * layout.columns + j) * channels + c] != expected { wrong += 1 }
                    }
                }
            }
        }
        #expect(wrong == 0, "\(S.self) \(batch)x\(channels)x\(height)x\(width): \(wrong) values wrong")
    }

    @Test("every value lands at its pixel and channel, whole blocks of four and the columns and channels past them",
          arguments: [(2, 64, 14, 14), (3, 64, 7, 7), (1, 8, 4, 4), (2, 9, 5, 6), (1, 13, 3, 11), (1, 3, 2, 3)])
    func matchesDefinition(batch: Int, channels: Int, height: Int, width: Int) {
        check(batch: batch, channels: channels, height: height, width: width, Float.self)
        check(batch: batch, channels: channels, height: height, width: width, Double.self)
    }
}
