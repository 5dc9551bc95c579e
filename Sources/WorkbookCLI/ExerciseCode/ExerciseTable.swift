import Workbook

extension ExerciseCode {
    /// The table of this program's exercise modules: the reference solutions in the ordinary
    /// build, the student's files when built with `MAML_IMPLEMENTATION=exercises`. Modules left
    /// out of the build leave their entries empty.
    static func builtIn() -> ExerciseCode {
        #if STUDENT_EXERCISES
        var code = ExerciseCode(source: .student)
        #else
        var code = ExerciseCode(source: .reference)
        #endif
        #if canImport(GDStep)
        code.addGDStep()
        #endif
        #if canImport(MetaObjective)
        code.addMetaObjective()
        #endif
        #if canImport(MAMLTraining)
        code.addMAMLTraining()
        #endif
        #if canImport(AdamEquivalences)
        code.addAdamEquivalences()
        #endif
        #if canImport(ScaleInvariance)
        code.addScaleInvariance()
        #endif
        #if canImport(SineMAML)
        code.addSineMAML()
        #endif
        #if canImport(LearnedInnerRate)
        code.addLearnedInnerRate()
        #endif
        #if canImport(FOMAML)
        code.addFOMAML()
        #endif
        #if canImport(ReptileAndANIL)
        code.addReptileAndANIL()
        #endif
        #if canImport(TransferLearning)
        code.addTransferLearning()
        #endif
        return code
    }
}
