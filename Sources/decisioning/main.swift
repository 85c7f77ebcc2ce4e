import DecisioningCLI

HugePages.restartIfWorthwhile()
await DecisioningCommand.entry()
