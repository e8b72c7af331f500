package upgrade

import (
	"errors"
	"fmt"

	"aead.dev/minisign"
)

// Errors wrapped by Verify.
var (
	ErrUnsigned     = errors.New("image is not signed")
	ErrBadSignature = errors.New("bad signature")
)

// Verify checks img's minisign signature (Ed25519 over the ELF bytes, or
// over their BLAKE2b-512 hash for a prehashed signature; minisign's format)
// against pub. A nil pub means the running image was built without a key:
// any image is accepted, signed or not.
func (img *Image) Verify(pub *minisign.PublicKey) error {
	if pub == nil {
		return nil
	}
	if img.Signature == nil {
		return fmt.Errorf("%w: this image requires a signature by key %X", ErrUnsigned, pub.ID())
	}
	var sig minisign.Signature
	if err := sig.UnmarshalText(img.Signature); err != nil {
		return fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	if sig.KeyID != pub.ID() {
		return fmt.Errorf("%w: signed by key %X, this image trusts %X", ErrBadSignature, sig.KeyID, pub.ID())
	}
	if !minisign.Verify(*pub, img.ELF, img.Signature) {
		return fmt.Errorf("%w: does not match the image (key %X)", ErrBadSignature, pub.ID())
	}
	return nil
}

// ParsePublicKey reads a minisign public key: the .pub file minisign -G
// writes, or its base64 line alone.
func ParsePublicKey(text []byte) (*minisign.PublicKey, error) {
	var pub minisign.PublicKey
	if err := pub.UnmarshalText(lastLine(text)); err != nil {
		return nil, fmt.Errorf("minisign public key: %v", err)
	}
	return &pub, nil
}

// lastLine is the last non-empty line of a key file, where minisign puts
// the key after an "untrusted comment:" line.
func lastLine(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' {
			return b[i+1:]
		}
	}
	return b
}
