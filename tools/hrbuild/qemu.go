package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// qemuArgs are qemu-system-arm's arguments for an image: the machine of
// the QEMU suite (mcimx6ul-evk, 512 MiB, semihosting for `upgrade
// semihost:`, halt's exit code and the host's clock), the board's console
// UART on stdio, and with authorized keys on the EVK its first ENET on
// QEMU's user-mode network, only 127.0.0.1:sshPort reaching the board's
// SSH console (10.0.0.1:22).
func qemuArgs(o *Options, elfFile string) []string {
	args := []string{"-machine", "mcimx6ul-evk", "-cpu", "cortex-a7", "-m", "512M", "-nographic", "-monitor", "none", "-semihosting"}
	if o.AuthorizedKeys != "" && o.Target == "mx6ullevk" {
		args = append(args, "-net", "nic,model=imx.enet,netdev=net0",
			"-netdev", fmt.Sprintf("user,id=net0,net=10.0.0.0/24,host=10.0.0.2,hostfwd=tcp:127.0.0.1:%d-10.0.0.1:22", o.SSHPort))
	} else {
		args = append(args, "-net", "none")
	}
	if o.Target == "usbarmory" {
		args = append(args, "-serial", "null", "-serial", "stdio")
	} else {
		args = append(args, "-serial", "stdio", "-serial", "null")
	}
	if o.GDB {
		args = append(args, "-S", "-s")
	}
	return append(args, "-kernel", elfFile)
}

// qemu boots the image, the console on this terminal (`halt` quits).
func (b *builder) qemu(elfFile string) error {
	args := qemuArgs(&b.o, elfFile)
	if b.o.AuthorizedKeys != "" && b.o.Target == "mx6ullevk" {
		fmt.Fprintf(b.out, "ssh: ssh -p %d -i %s root@127.0.0.1   (QEMU forwards it to 10.0.0.1:22)\n",
			b.o.SSHPort, strings.TrimSuffix(b.o.AuthorizedKeys, ".pub"))
	}
	fmt.Fprintf(b.out, "qemu-system-arm %s\n", strings.Join(args, " "))
	c := exec.Command("qemu-system-arm", args...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := c.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exitStatus(exit.ExitCode()) // `halt CODE`'s status, passed on
	}
	if err != nil {
		return toolMissing(err, "qemu-system-arm", "qemu-system-arm")
	}
	return nil
}

// exitStatus is a status hrbuild exits with, said by no message.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
