package main

// addCommands builds the console's command table.
func (k *kernel) addCommands() {
	k.addSystemCommands()
	k.addPmmCommands()
	k.addActorCommands()
	k.addCrashCommand()
	k.addBenchCommand()
	k.addStatsCommands()
}
