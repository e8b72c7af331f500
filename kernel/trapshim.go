//go:build tamago

package kernel

// fatalSys is the running system for the CPU-fault and runtime-exit paths
// (fault.go, exit.go), which run in exception context and cannot be handed
// a value: boot sets it before it installs them. A shim until those paths
// take what they need from values the kernel installs at boot (#22).
var fatalSys *system

func installTrapSystem(k *system) { fatalSys = k }
