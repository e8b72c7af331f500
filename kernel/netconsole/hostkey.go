package netconsole

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/ssh"

	"github.com/hotrestart/tamago-hr/pmm/record"
)

// The host key is kept in a persistent bank block, so that the board's SSH
// identity survives site restarts and clients' known_hosts stay valid. The
// block holds a pmm/record whose payload is the ed25519 seed (32 bytes).
// Anything else in the block (zeroes after a cold boot, garbage after lost
// DRAM, the single-copy "HRSSHK01" format of earlier images) is not a valid
// record and a new key is made: a wrong record is never trusted.
const HostKeyBlock = "__SYS.sshHostKey"

// HostKeyKind is the host key's record kind.
var HostKeyKind = record.Kind{Name: "ssh host key", Magic: record.Magic("HRSK"), Version: 1}

// HostKeySize is the smallest block HostKey accepts, in bytes.
var HostKeySize = record.BlockSize(ed25519.SeedSize)

// HostKey returns the ed25519 host key stored in block, or, when block holds
// no valid record, a new key drawn from rand and stored there. note is empty
// when the stored key was used or the block was blank, else it says why the
// record in the block was not trusted.
func HostKey(block []byte, rand io.Reader) (signer ssh.Signer, note string, err error) {
	rec, seed, err := record.Load(block, HostKeyKind)
	switch {
	case errors.Is(err, record.ErrBlock):
		return nil, "", fmt.Errorf("netconsole: host key: %w", err)
	case err == nil && len(seed) != ed25519.SeedSize:
		err = fmt.Errorf("%s: seed of %d bytes, want %d", HostKeyKind.Name, len(seed), ed25519.SeedSize)
	}
	if err != nil {
		if !errors.Is(err, record.ErrEmpty) {
			note = err.Error()
		}
		seed = make([]byte, ed25519.SeedSize)
		if _, err := io.ReadFull(rand, seed); err != nil {
			return nil, "", fmt.Errorf("netconsole: host key seed: %w", err)
		}
		if err := rec.Write(seed); err != nil {
			return nil, "", fmt.Errorf("netconsole: host key: %w", err)
		}
	}
	signer, err = ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		return nil, "", fmt.Errorf("netconsole: host key: %w", err)
	}
	return signer, note, nil
}

// StoredHostKey returns the public half of the key stored in block without
// making one (tools/bankdump shows its fingerprint). Errors are pmm/record's
// or a seed of the wrong size.
func StoredHostKey(block []byte) (ssh.PublicKey, error) {
	_, seed, err := record.Load(block, HostKeyKind)
	if err != nil {
		return nil, err
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s: seed of %d bytes, want %d", HostKeyKind.Name, len(seed), ed25519.SeedSize)
	}
	return ssh.NewPublicKey(ed25519.NewKeyFromSeed(seed).Public())
}
