import GradingRuntime

/// MAMLPlusPlus's hidden parts (10 extra-credit points): `rates` (3), `multiStepLoss` (3),
/// `cosine` (1) and `order` (3). Each part calls only its own functions: `multiStepLoss` is handed
/// trajectories the probe builds from the judge's numbers, and `metaGradient` an objective the
/// probe writes, so a mistake in one piece costs that piece's points only.
let mamlPlusPlusParts = ExerciseParts(
    "MAMLPlusPlus", question: "Extra credit: MAML++ on top of FO-MAML", extraCredit: true, parts: [rates, multiStepLoss, cosine, order])
