import Autodiff
import MetaLearning

/// A place in a chapter where an exercise function can stand in for the library: which entry
/// of `ExerciseCode` fills it, the library's own version, and the agreement check.
public struct ExerciseSlot<Function>: @unchecked Sendable {
    /// The entry of the table that fills the slot.
    public let entry: KeyPath<ExerciseCode, ExerciseEntry<Function>?>
    /// The exercise's module name, for messages when the entry is missing.
    public let exercise: String
    /// What the section runs when the exercise's function is missing, unfinished or wrong.
    public let library: Function
    /// nil when a function agrees with the library on a tiny input, else the disagreement;
    /// rethrows the function's own errors.
    public let check: (Function) throws -> String?
}

extension ExerciseSlot where Function == GradientStepFunction {
    /// `gdStep` from exercise GDStep.
    public static var gdStep: Self {
        Self(entry: \.gdStep, exercise: "GDStep", library: ExerciseAgreement.libraryStep, check: ExerciseAgreement.gdStep)
    }
}

extension ExerciseSlot where Function == MetaObjectiveFunction {
    /// `MetaObjective` from exercise MetaObjective.
    public static var metaObjective: Self {
        Self(entry: \.metaObjective, exercise: "MetaObjective", library: ExerciseAgreement.libraryMetaObjective,
             check: ExerciseAgreement.metaObjective)
    }
}

/// What the agreement check found for one slot.
public struct ExerciseStatus: Sendable, Equatable {
    /// The exercise's module name.
    public let exercise: String
    /// The function and handout part ("gdStep, part update"), or "" when the table has no entry.
    public let part: String
    /// nil when the function agrees with the library; otherwise why it cannot be used.
    public let problem: String?
}

extension ExerciseCode {
    /// Checks the entry filling `slot` against the library.
    public func status<Function>(of slot: ExerciseSlot<Function>) -> ExerciseStatus {
        guard let entry = self[keyPath: slot.entry] else {
            return ExerciseStatus(exercise: slot.exercise, part: "", problem: "this program holds no code for it")
        }
        let problem: String?
        do {
            problem = try slot.check(entry.function)
        } catch {
            problem = String(describing: error)
        }
        return ExerciseStatus(exercise: entry.exercise, part: entry.part, problem: problem)
    }

    /// The agreement check of every slot a chapter uses, in course order; `report` sees each
    /// status as soon as it is known.
    public func statuses(report: (ExerciseStatus) -> Void = { _ in }) -> [ExerciseStatus] {
        let checks: [() -> ExerciseStatus] = [{ status(of: .gdStep) }, { status(of: .metaObjective) }, { status(of: .metaTrainingStep) },
            { status(of: .rmspropAsAdam) }, { status(of: .momentumAsAdam) }, { status(of: .iterateGap) }, { status(of: .adaptationLoss) },
            { status(of: .unrolledObjective) }, { status(of: .fomamlInnerLoop) }, { status(of: .fomamlOuterLoop) },
            { status(of: .reptileStep) }, { status(of: .anilAdapt) }, { status(of: .headAdaptation) }, { status(of: .episodeTransfer) },
            { status(of: .transferEpisodes) }]
        return checks.map { check in
            let status = check()
            report(status)
            return status
        }
    }

}

extension Notebook {
    /// The function a section runs for `slot`: the exercise's when it agrees with the library,
    /// else the library's. Says on the page and in the terminal which ran, and when the
    /// exercise's code is missing, unfinished or wrong, which exercise to finish and why.
    /// Without an exercise table (`settings.exercises` nil) it returns the library's silently.
    public func function<Function>(for slot: ExerciseSlot<Function>) throws -> Function {
        guard let code = settings.exercises else { return slot.library }
        let status = code.status(of: slot)
        let part = status.part.isEmpty ? "" : status.part + ": "
        if let problem = status.problem {
            try note(InlineText.literal("Finish exercise \(status.exercise) (\(part)\(problem)); this section uses the library's version."),
                     kind: .warning)
            return slot.library
        }
        try note(InlineText.literal("This section runs \(status.part) from exercise \(status.exercise): \(code.source.label)."))
        return code[keyPath: slot.entry]!.function
    }
}
