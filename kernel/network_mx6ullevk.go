//go:build mx6ullevk

package main

// startNetwork does nothing on the EVK target: it runs under QEMU, which
// cannot emulate USB device mode, and the console is the UART alone.
func (k *kernel) startNetwork() {}
