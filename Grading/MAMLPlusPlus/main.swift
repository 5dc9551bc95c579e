import GradingRuntime

JudgeProgram.run(mamlPlusPlusParts)
