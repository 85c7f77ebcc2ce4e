import DecisioningCLI
DecisioningCommand.main()
