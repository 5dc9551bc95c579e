import GradingRuntime

JudgeProgram.run(transferLearningParts)
