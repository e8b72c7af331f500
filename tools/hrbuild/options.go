package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Options are the build's inputs, the Makefile's variables by other names.
type Options struct {
	Target         string // TARGET: mx6ullevk (QEMU and the NXP EVK) or usbarmory
	Name           string // IMAGE: the output files' base name
	Out            string // BUILD: output directory
	Dir            string // the module to build from (its go.mod applies)
	Package        string // APP: the firmware's main package, in Dir
	Version        string // VERSION
	Security       string // SECURITY_VERSION
	Tunables       string // TUNABLES
	Startup        string // STARTUP: startup script laid over kernel/startup.rc
	AuthorizedKeys string // AUTHORIZED_KEYS: SSH console keys (EVK: on the emulated Ethernet)
	UpgradeKey     string // UPGRADE_KEY: minisign public key upgrades must be signed with
	Tags           string // GOTAGS: more build tags, comma separated
	SSHPort        int    // SSH_PORT: the host port QEMU forwards to the EVK's SSH console
	GDB            bool   // qemu: wait for gdb on :1234 (-S -s)
}

func newFlags(o *Options, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hrbuild", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.StringVar(&o.Target, "target", "mx6ullevk", "board: mx6ullevk (QEMU and the NXP EVK) or usbarmory (USB armory Mk II)")
	fs.StringVar(&o.Name, "name", "", "image name: OUT/NAME.elf (default hr-TARGET)")
	fs.StringVar(&o.Out, "o", "build", "output directory")
	fs.StringVar(&o.Dir, "C", ".", "build from this directory's module")
	fs.StringVar(&o.Version, "version", "", "image version (default: git describe --always --dirty, else unknown)")
	fs.StringVar(&o.Security, "security", "0", "security version (a uint32; README \"Downgrade prevention\")")
	fs.StringVar(&o.Tunables, "tunables", "", "static tunables, 'pmm.rambankSize=0x400000 hrCtrl.maxBadness=5'")
	fs.StringVar(&o.Startup, "startup", "", "startup script in place of the kernel's")
	fs.StringVar(&o.AuthorizedKeys, "authorized-keys", "", "authorized_keys file: the image serves its console over SSH")
	fs.StringVar(&o.UpgradeKey, "upgrade-key", "", "minisign public key: only images signed with it may upgrade this one")
	fs.StringVar(&o.Tags, "tags", "", "more build tags, comma separated")
	fs.IntVar(&o.SSHPort, "ssh-port", 2222, "qemu: host port forwarded to the EVK's SSH console (with -authorized-keys)")
	fs.BoolVar(&o.GDB, "gdb", false, "qemu: wait for gdb (-S -s)")
	return fs
}

// resolve checks the options and makes every path absolute, relative to
// the current directory, before the build moves to Dir.
func (o *Options) resolve() error {
	if o.Target != "mx6ullevk" && o.Target != "usbarmory" {
		return fmt.Errorf("-target must be mx6ullevk or usbarmory, not %q", o.Target)
	}
	if o.Name == "" {
		o.Name = "hr-" + o.Target
	}
	if strings.ContainsAny(o.Name, `/\`) {
		return fmt.Errorf("-name %q: a name, not a path (-o is the directory)", o.Name)
	}
	for _, p := range []*string{&o.Out, &o.Dir, &o.Startup, &o.AuthorizedKeys, &o.UpgradeKey} {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	for name, p := range map[string]string{"-startup": o.Startup, "-authorized-keys": o.AuthorizedKeys, "-upgrade-key": o.UpgradeKey} {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("%s %s: not a readable file", name, p)
		}
	}
	if strings.ContainsFunc(o.Version, func(r rune) bool { return r == '\'' || r == '"' || r == '\\' || r < ' ' || r == 0x7f }) {
		return fmt.Errorf("-version %q: quotes, backslashes and control characters cannot go into the image's version", o.Version)
	}
	if o.Version == "" {
		o.Version = "unknown"
		c := exec.Command("git", "describe", "--always", "--dirty")
		c.Dir = o.Dir
		if v, err := c.Output(); err == nil && len(strings.TrimSpace(string(v))) > 0 {
			o.Version = strings.TrimSpace(string(v))
		}
	}
	return nil
}

// tags are the firmware's build tags.
func (o *Options) tags() string {
	t := o.Target + ",linkramsize,linkprintk,linkcpuinit"
	if o.Tags != "" {
		t += "," + o.Tags
	}
	return t
}

func (o *Options) file(suffix string) string { return filepath.Join(o.Out, o.Name+suffix) }
