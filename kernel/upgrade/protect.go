package upgrade

import (
	"errors"
	"fmt"
	"strings"
)

// Manifest keys of what an image protects; "1" when it does, absent when
// not (an image built before these keys protects nothing it declares).
const (
	KeySSHConsole     = "protect.sshConsole"     // AUTHORIZED_KEYS built in: an SSH console
	KeySignedUpgrades = "protect.signedUpgrades" // UPGRADE_KEY built in: upgrades must be signed
)

// Protections is what an image protects its operator with: an upgrade must
// not remove it silently (an upgrade over SSH to an image without a network
// console locks the operator out once the trial commits; an image without
// an upgrade key accepts any image next).
type Protections struct {
	SSHConsole     bool
	SignedUpgrades bool
}

// Drops is what an operator agrees to give up (`upgrade --drop-ssh
// --drop-signature`).
type Drops struct {
	SSHConsole     bool
	SignedUpgrades bool
}

// ErrDropsProtection is wrapped when a new image drops a protection of the
// running one and the operator did not agree to it.
var ErrDropsProtection = errors.New("the new image drops a protection")

// SetProtections writes p into m.
func (m Manifest) SetProtections(p Protections) {
	for k, on := range map[string]bool{KeySSHConsole: p.SSHConsole, KeySignedUpgrades: p.SignedUpgrades} {
		if on {
			m[k] = "1"
		} else {
			delete(m, k)
		}
	}
}

// Protections reads what m says its image protects.
func (m Manifest) Protections() Protections {
	return Protections{SSHConsole: m[KeySSHConsole] == "1", SignedUpgrades: m[KeySignedUpgrades] == "1"}
}

// KeepsProtections refuses the image whose manifest is m when it drops a
// protection that running has and drops does not give up; the error names
// each one and the flag that gives it up.
func (m Manifest) KeepsProtections(running Protections, drops Drops) error {
	next := m.Protections()
	var lost []string
	if running.SSHConsole && !next.SSHConsole && !drops.SSHConsole {
		lost = append(lost, "no SSH console (built without AUTHORIZED_KEYS): nobody could log in over the network once it commits; --drop-ssh accepts that")
	}
	if running.SignedUpgrades && !next.SignedUpgrades && !drops.SignedUpgrades {
		lost = append(lost, "no upgrade key (built without UPGRADE_KEY): it would accept any image, signed or not; --drop-signature accepts that")
	}
	if lost != nil {
		return fmt.Errorf("%w: %s", ErrDropsProtection, strings.Join(lost, "; "))
	}
	return nil
}
