import Autodiff

/// The value and gradient of an objective that may throw (a student's function inside it).
/// `valueAndGrad` takes a function that cannot throw, so an error met inside is held until the
/// pass is over and thrown then.
func valueAndGradient(throwing objective: @escaping (Parameters) throws -> Tensor, at point: Parameters) throws
    -> (value: Tensor, gradient: Parameters) {
    var outcome: Result<Void, any Error> = .success(())
    let differentiated = valueAndGrad { (parameters: Parameters) -> Tensor in
        switch Result(catching: { try objective(parameters) }) {
        case .success(let value): return value
        case .failure(let error):
            outcome = .failure(error)
            return Tensor(0, dtype: parameters.tensors.first?.dtype ?? .float64)
        }
    }(point)
    try outcome.get()
    return differentiated
}

/// The flat list of every scalar of `parameters`, in name order.
func flatScalars(_ parameters: Parameters) -> [Double] {
    parameters.tensors.flatMap(\.scalars)
}
