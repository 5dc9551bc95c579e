/// The trailing moving average over `window` values: the i-th result is the mean of values
/// max(0, i − window + 1) … i, which smooths a noisy training curve for a figure.
public func movingAverage(_ values: [Double], window: Int) -> [Double] {
    var sum = 0.0
    return values.indices.map { i in
        sum += values[i]
        if i >= window { sum -= values[i - window] }
        return sum / Double(Swift.min(i + 1, window))
    }
}
