import GradingRuntime

JudgeProgram.run(fomamlParts)
