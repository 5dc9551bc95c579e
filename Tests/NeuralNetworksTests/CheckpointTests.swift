import Autodiff
import Foundation
import NeuralNetworks
import Testing

@Suite struct CheckpointTests {
    /// A fresh path in the temporary folder.
    func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("nn-checkpoint-\(ProcessInfo.processInfo.processIdentifier)-\(name).ckpt")
    }

    /// Values that a lossy format would disturb: signed zero, subnormals, infinities, extremes.
    let awkwardDoubles: [Double] = [0.1, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.infinity, 1 / 3, .pi]
    let awkwardFloats: [Float] = [0.1, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, 1 / 3]

    @Test func roundTripIsBitExactInDoubleAndFloat() throws {
        var generator = SeededGenerator(seed: 1)
        let mlp = MLP(sizes: [1, 40, 40, 1], activation: .relu).initialize(generator: &generator)
        var params = mlp
        params["extra.double"] = Tensor(shape: [7], scalars: awkwardDoubles, dtype: .float64)
        params["extra.float"] = Tensor(shape: [2, 3], floats: awkwardFloats)
        params["extra.scalar"] = Tensor(2.5, dtype: .float32)
        let adam = Adam(learningRate: 0.01)
        let (_, state) = adam.step(mlp, mlp, adam.initialState(for: mlp))
        let file = temporaryFile("round-trip")
        defer { try? FileManager.default.removeItem(at: file) }
        try Checkpoint(parameters: params, optimizerState: state, metadata: ["iteration": "7", "note": "line\nbreak"])
            .write(to: file)

        let loaded = try Checkpoint(contentsOf: file)
        #expect(loaded.parameters.names == params.names)
        #expect(loaded.metadata == ["iteration": "7", "note": "line\nbreak"])
        for (original, restored) in zip(params.tensors, loaded.parameters.tensors) {
            #expect(original.shape == restored.shape && original.dtype == restored.dtype)
            if original.dtype == .float32 {
                #expect(original.floats.map(\.bitPattern) == restored.floats.map(\.bitPattern))
            } else {
                #expect(original.scalars.map(\.bitPattern) == restored.scalars.map(\.bitPattern))
            }
        }
        let restoredState = try loaded.optimizerState(as: Adam.State.self, file: file.path)
        #expect(restoredState.step == 1)
        #expect(restoredState.secondMoment.tensors.flatMap(\.scalars) == state.secondMoment.tensors.flatMap(\.scalars))
    }

    @Test func fileStartsWithTheMagicLineAndAOneLineHeader() throws {
        let data = Checkpoint(parameters: ["w": Tensor([1, 2])], metadata: ["k": "v"]).encoded()
        let text = String(decoding: data.prefix(while: { $0 != 0 && $0 < 0x80 }), as: UTF8.self)
        let lines = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        #expect(lines[0] == "MAMLWORKBOOK-CHECKPOINT")
        let header = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(header?["version"] as? Int == 1)
        #expect(header?["dataByteCount"] as? Int == 16)
        #expect(data.suffix(16) == Data([1.0, 2.0].flatMap { (x: Double) in withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) } }))
    }

    @Test func aTruncatedFileIsReportedWithItsName() throws {
        let file = temporaryFile("truncated")
        defer { try? FileManager.default.removeItem(at: file) }
        let data = Checkpoint(parameters: ["w": Tensor([1, 2, 3])]).encoded()
        try data.dropLast(5).write(to: file)
        do {
            _ = try Checkpoint(contentsOf: file)
            Issue.record("a truncated checkpoint loaded")
        } catch let error as CheckpointError {
            #expect(error == .truncated(file: file.path, expectedBytes: 24, actualBytes: 19))
            #expect(error.description.contains(file.path) && error.description.contains("truncated"))
        }
    }

    @Test func aFileWithoutTheMagicLineIsRejected() throws {
        let file = temporaryFile("magic")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("name,value\nw,1\n".utf8).write(to: file)
        #expect(throws: CheckpointError.wrongMagic(file: file.path, found: "name,value")) {
            try Checkpoint(contentsOf: file)
        }
    }

    @Test func corruptHeadersAndExtraBytesAreRejected() {
        let good = Checkpoint(parameters: ["w": Tensor([1, 2, 3])]).encoded()
        let garbledHeader = Data("MAMLWORKBOOK-CHECKPOINT\n{\"version\": 1, \n".utf8)
        #expect(throws: CheckpointError.self) { try Checkpoint(decoding: garbledHeader, file: "garbled") }
        var longer = good
        longer.append(contentsOf: [0, 0])
        #expect(throws: CheckpointError.trailingBytes(file: "longer", extraBytes: 2)) {
            try Checkpoint(decoding: longer, file: "longer")
        }
        let newer = Data(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\"version\":1", with: "\"version\":9").utf8)
        #expect(throws: CheckpointError.unsupportedVersion(file: "newer", version: 9, supported: 1)) {
            try Checkpoint(decoding: newer, file: "newer")
        }
    }

    @Test func aMissingFileNamesThePath() {
        do {
            _ = try Checkpoint(contentsOf: URL(fileURLWithPath: "/nonexistent/model.ckpt"))
            Issue.record("a missing checkpoint loaded")
        } catch {
            #expect("\(error)".contains("/nonexistent/model.ckpt"))
        }
    }

    @Test func anOptimizerStateOfTheWrongKindIsReported() {
        let checkpoint = Checkpoint(parameters: ["w": Tensor([1])], optimizerState: MomentumSGD.State(velocity: ["w": Tensor([0])]))
        #expect(throws: CheckpointError.self) { try checkpoint.optimizerState(as: Adam.State.self, file: "momentum.ckpt") }
    }
}
