import GradingRuntime

JudgeProgram.run(metaObjectiveParts)
