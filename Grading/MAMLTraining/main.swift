import GradingRuntime

JudgeProgram.run(mamlTrainingParts)
