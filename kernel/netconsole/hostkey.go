package netconsole

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"

	"golang.org/x/crypto/ssh"
)

// Host key record kept in a persistent bank block, so that the board's SSH
// identity survives site restarts and clients' known_hosts stay valid:
//
//	[0:8)   magic "HRSSHK01" (the trailing 01 is the format version)
//	[8:40)  ed25519 seed
//	[40:44) CRC-32C of bytes [0:40), little endian
//
// Anything else in the block (zeroes after a cold boot, garbage after lost
// DRAM) fails the magic or the CRC and a new key is made: a wrong record is
// never trusted.
const (
	hostKeyMagic = "HRSSHK01"
	seedOff      = len(hostKeyMagic)
	crcOff       = seedOff + ed25519.SeedSize
	// HostKeySize is the smallest block HostKey accepts.
	HostKeySize = crcOff + 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// HostKey returns the ed25519 host key stored in block, or, when block holds
// no valid record, a new key drawn from rand and stored there.
func HostKey(block []byte, rand io.Reader) (ssh.Signer, error) {
	if len(block) < HostKeySize {
		return nil, fmt.Errorf("netconsole: host key block of %d bytes, need %d", len(block), HostKeySize)
	}
	rec := block[:HostKeySize]
	if !validHostKey(rec) {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := io.ReadFull(rand, seed); err != nil {
			return nil, fmt.Errorf("netconsole: host key seed: %w", err)
		}
		// CRC last, after magic and seed: a reset half way through
		// leaves a record that fails validation, never a wrong key.
		copy(rec, hostKeyMagic)
		copy(rec[seedOff:], seed)
		binary.LittleEndian.PutUint32(rec[crcOff:], crc32.Checksum(rec[:crcOff], castagnoli))
	}
	key := ed25519.NewKeyFromSeed(rec[seedOff:crcOff])
	signer, err := ssh.NewSignerFromKey(key)
	if err != nil {
		return nil, fmt.Errorf("netconsole: host key: %w", err)
	}
	return signer, nil
}

func validHostKey(rec []byte) bool {
	return bytes.Equal(rec[:seedOff], []byte(hostKeyMagic)) &&
		binary.LittleEndian.Uint32(rec[crcOff:]) == crc32.Checksum(rec[:crcOff], castagnoli)
}
