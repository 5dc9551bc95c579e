import Testing
import Autodiff

/// Bad input stops the process with a message that names the op and the shapes involved.
@Suite("Shape errors name the op and both shapes")
struct ErrorMessageTests {
    /// Runs `body` in a child process and returns what it wrote to standard error.
    static func stderr(of result: ExitTest.Result?) -> String {
        result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
    }

    @Test func broadcastMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones([2, 3]) + Tensor.ones([4])
        }
        #expect(Self.stderr(of: result).contains("add: cannot broadcast shapes [2, 3] and [4]"))
    }

    @Test func matmulInnerDimensions() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor.ones([2, 3]), Tensor.ones([4, 5]))
        }
        #expect(Self.stderr(of: result).contains("matmul: inner dimensions differ for shapes [2, 3] and [4, 5]"))
    }

    @Test func reshapeCount() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones([2, 3]).reshaped([4, 2])
        }
        #expect(Self.stderr(of: result).contains("reshape: cannot reshape [2, 3] (6 elements) to [4, 2]"))
    }

    @Test func dtypeMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones([2], dtype: .float32) * Tensor.ones([2], dtype: .float64)
        }
        #expect(Self.stderr(of: result).contains("multiply: dtypes differ (float32 and float64)"))
    }

    @Test func nonScalarGradient() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = grad { (x: Tensor) in x * 2 }(Tensor([1, 2]))
        }
        #expect(Self.stderr(of: result).contains("grad: the function must return a scalar, got shape [2]"))
    }

    @Test func negativeSizes() async {
        let zeros = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, -3])
        }
        #expect(Self.stderr(of: zeros).contains("zeros: negative size in shape [2, -3]"))
        let ones = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones([-2])
        }
        #expect(Self.stderr(of: ones).contains("ones: negative size in shape [-2]"))
        let reshape = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones([6]).reshaped([-2, -3])
        }
        #expect(Self.stderr(of: reshape).contains("reshape: negative size in shape [-2, -3]"))
    }

    @Test func conv2dChannels() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.ones([1, 3, 5, 5]), filters: Tensor.ones([2, 1, 3, 3]))
        }
        #expect(Self.stderr(of: result).contains("conv2d: input [1, 3, 5, 5] and filters [2, 1, 3, 3] do not match"))
    }
}
