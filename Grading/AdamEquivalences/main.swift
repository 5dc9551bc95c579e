import GradingRuntime

JudgeProgram.run(adamEquivalencesParts)
