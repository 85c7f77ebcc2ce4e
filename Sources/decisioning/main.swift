import DecisioningCLI

HugePages.restartIfWorthwhile()
AllocatorTuning.apply()
await DecisioningCommand.entry()
