import GradingRuntime

JudgeProgram.run(sineMAMLParts)
