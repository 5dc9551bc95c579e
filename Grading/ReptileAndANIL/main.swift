import GradingRuntime

JudgeProgram.run(reptileAndANILParts)
