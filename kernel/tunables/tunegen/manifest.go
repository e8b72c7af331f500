package tunegen

import (
	"fmt"
	"os"

	"github.com/hotrestart/tamago-hr/kernel/bootrec"
	"github.com/hotrestart/tamago-hr/kernel/tunables"
	"github.com/hotrestart/tamago-hr/kernel/upgrade"
	"github.com/hotrestart/tamago-hr/pmm"
)

// Values parses and checks a tunables request ('pmm.rambankSize=0x400000
// hrCtrl.maxBadness=5'), bank geometry included; the error is one line.
func Values(spec string) (map[string]int64, error) {
	vals, err := tunables.Parse(spec)
	if err != nil {
		return nil, err
	}
	if err := tunables.Check(vals, geometryCheck); err != nil {
		return nil, err
	}
	return vals, nil
}

func geometryCheck(size, blocks int) error {
	return pmm.Geometry{Size: size, MaxBlocks: blocks}.Validate()
}

// Image is what the manifest says of an image besides its tunables.
type Image struct {
	Version    string // make VERSION=
	Security   string // make SECURITY_VERSION=, a decimal uint32
	Board      string // make TARGET=
	UpgradeKey string // minisign public key file (make UPGRADE_KEY=), "" for none
	SSHConsole bool   // authorized keys built in (make AUTHORIZED_KEYS=)
}

// Manifest checks the upgrade key, if any, and returns the image's upgrade
// manifest (kernel/upgrade), which the build adds to the linked ELF as its
// .hr.manifest section.
func Manifest(img Image, vals map[string]int64) ([]byte, error) {
	if img.UpgradeKey != "" {
		if err := CheckKey(img.UpgradeKey); err != nil {
			return nil, err
		}
	}
	m := upgrade.NewManifest(img.Version, img.Board, pmm.LayoutVersion, int(bootrec.Kind.Version), vals)
	m[upgrade.KeySecurity] = img.Security
	m.SetProtections(upgrade.Protections{SSHConsole: img.SSHConsole, SignedUpgrades: img.UpgradeKey != ""})
	if _, err := upgrade.ParseManifest(m.Marshal()); err != nil {
		return nil, err
	}
	if _, err := m.Security(); err != nil {
		return nil, fmt.Errorf("SECURITY_VERSION: %v", err)
	}
	return m.Marshal(), nil
}

// CheckKey checks that the file holds a minisign public key.
func CheckKey(file string) error {
	text, err := os.ReadFile(file)
	if err == nil {
		_, err = upgrade.ParsePublicKey(text)
	}
	if err != nil {
		return fmt.Errorf("UPGRADE_KEY: %v", err)
	}
	return nil
}
