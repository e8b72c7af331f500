package kernel

// addCommands builds the console's command table.
func (k *system) addCommands() {
	k.addSystemCommands()
	k.addPmmCommands()
	k.addActorCommands()
	k.addCrashCommand()
	k.addBenchCommand()
	k.addStatsCommands()
	k.addSelftestCommand()
	k.addUpgradeCommands()
	k.addStateCommands()
	k.addClockCommands()
}
