import GradingRuntime

JudgeProgram.run(scaleInvarianceParts)
