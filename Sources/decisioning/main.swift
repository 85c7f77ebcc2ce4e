import DecisioningCLI

await DecisioningCommand.entry()
