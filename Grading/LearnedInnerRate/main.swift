import GradingRuntime

JudgeProgram.run(learnedInnerRateParts)
