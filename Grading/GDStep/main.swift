import GradingRuntime

JudgeProgram.run(gdStepParts)
