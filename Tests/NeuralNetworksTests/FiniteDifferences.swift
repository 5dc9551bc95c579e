import Autodiff

/// Central finite differences over named parameters, for checking reverse-mode gradients in Double.
enum FiniteDifferences {
    /// ∂f/∂θᵢ ≈ (f(θ + h eᵢ) - f(θ - h eᵢ)) / 2h for every entry of every parameter.
    static func gradient(_ f: (Parameters) -> Tensor, at params: Parameters, step h: Double = 1e-6) -> Parameters {
        Parameters(params.map { (name: String, tensor: Tensor) -> (String, Tensor) in
            let values = (0..<tensor.scalarCount).map { i in
                (f(moved(params, name, i, by: h)).scalar - f(moved(params, name, i, by: -h)).scalar) / (2 * h)
            }
            return (name, Tensor(shape: tensor.shape, scalars: values, dtype: .float64))
        })
    }

    /// `params` with entry `index` of `name` moved by `delta`.
    static func moved(_ params: Parameters, _ name: String, _ index: Int, by delta: Double) -> Parameters {
        var values = params.require(name).scalars
        values[index] += delta
        var result = params
        result[name] = Tensor(shape: params.require(name).shape, scalars: values, dtype: .float64)
        return result
    }

    /// The largest |a - b| / max(1, |a|, |b|) over matching entries.
    static func largestRelativeError(_ a: Parameters, _ b: Parameters) -> Double {
        zip(a.tensors, b.tensors).flatMap { zip($0.scalars, $1.scalars) }
            .map { Swift.abs($0 - $1) / Swift.max(1, Swift.abs($0), Swift.abs($1)) }
            .max() ?? 0
    }
}
