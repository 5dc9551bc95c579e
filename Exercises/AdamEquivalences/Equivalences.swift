import ExerciseSupport

/// (a) Adam hyper-parameters that make Adam take exactly RMSprop's steps.
///
/// Explain your choice in ANSWERS.md, section "Part (a)".
public func adamEquivalentToRMSprop(_ rmsprop: RMSpropHyperParameters) throws -> AdamHyperParameters {
    // Replace this line with your hyper-parameters.
    throw ExerciseError.notImplemented("adamEquivalentToRMSprop")
}

/// (b) Adam hyper-parameters that make Adam take (approximately) momentum SGD's steps.
///
/// Explain your choice in ANSWERS.md, section "Part (b)".
public func adamApproximatingMomentum(_ momentum: MomentumHyperParameters) throws -> AdamHyperParameters {
    // Replace this line with your hyper-parameters.
    throw ExerciseError.notImplemented("adamApproximatingMomentum")
}
