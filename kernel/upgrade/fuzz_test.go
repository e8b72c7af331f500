package upgrade

import (
	"bytes"
	"errors"
	"maps"
	"reflect"
	"testing"

	"aead.dev/minisign"
)

// FuzzParse: no stream makes Parse panic, and whatever it accepts stays
// inside the area it was given.
func FuzzParse(f *testing.F) {
	f.Add(goodELF().bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := Parse(b, testArea)
		if err != nil {
			return
		}
		for _, s := range img.Segments {
			if s.Addr < testArea.Start || uint64(s.Addr)+uint64(s.MemSize) > uint64(testArea.End) {
				t.Fatalf("segment %#x+%#x accepted outside the area", s.Addr, s.MemSize)
			}
		}
	})
}

// FuzzParseManifest: no section makes ParseManifest panic; what it accepts
// marshals back to itself, and its security version is a number or one
// error.
func FuzzParseManifest(f *testing.F) {
	f.Add(testManifest("v1.2-3-gabc").Marshal())
	f.Add([]byte("hr-manifest 1\nboard=mx6ullevk\nsecurity=3\nversion=v2\n\x00\x00"))
	f.Add([]byte("hr-manifest 1\r\nboard=a\r\nversion=b\r\n"))
	f.Add([]byte("hr-manifest 1\nversion=v\nboard=b\nsecurity=-1\n"))
	f.Add([]byte("hr-manifest 1\nboard=b\nversion=v\r\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest(b)
		if err != nil {
			return
		}
		again, err := ParseManifest(m.Marshal())
		if err != nil {
			t.Fatalf("accepted %q, refused its own marshalling: %v", b, err)
		}
		if !maps.Equal(m, again) {
			t.Fatalf("%q: %q marshals to %q", b, m, again)
		}
		if _, err := m.Security(); err != nil && !errors.Is(err, ErrManifest) {
			t.Fatalf("security: %v", err)
		}
	})
}

// fuzzKey is a fixed minisign key pair, so that saved corpus entries stay
// meaningful across runs.
func fuzzKey(f *testing.F) (minisign.PublicKey, minisign.PrivateKey) {
	pub, priv, err := minisign.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	if err != nil {
		f.Fatal(err)
	}
	return pub, priv
}

// FuzzVerify: no signature trailer makes Verify panic, and only the one
// signature made with the key over these bytes is accepted.
func FuzzVerify(f *testing.F) {
	pub, priv := fuzzKey(f)
	elf := goodELF().bytes()
	good := minisign.Sign(priv, elf)
	f.Add(good)
	f.Add(minisign.SignWithComments(priv, elf, "trusted: x", "untrusted: y"))
	f.Add([]byte("untrusted comment: x\nRWQ\ntrusted comment: y\nAAAA\n"))
	f.Add([]byte{})
	var want minisign.Signature
	if err := want.UnmarshalText(good); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sig []byte) {
		img := &Image{ELF: elf, Signature: sig}
		if err := img.Verify(&pub); err != nil {
			if !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrUnsigned) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		var got minisign.Signature
		if err := got.UnmarshalText(sig); err != nil || got.Signature != want.Signature {
			t.Fatalf("accepted a signature not made over these bytes: %q", sig)
		}
	})
}

// FuzzUnmarshalState: no bank payload makes UnmarshalState panic, and what
// it accepts survives a round trip.
func FuzzUnmarshalState(f *testing.F) {
	s := State{Phase: RolledBack, From: "v1", To: "v2", StartMs: 12345, Restarts: 2, Why: "crash loop"}
	f.Add(s.Marshal())
	f.Add(make([]byte, PayloadSize))
	f.Add([]byte{1, 2, 3})
	s.Groups = []uint16{1, 7}
	f.Add(s.Marshal())
	f.Add(s.Marshal()[:offGroups]) // an image before the groups
	f.Fuzz(func(t *testing.T, p []byte) {
		s, err := UnmarshalState(p)
		if err != nil {
			return
		}
		again, err := UnmarshalState(s.Marshal())
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("%+v does not survive a round trip: %+v, %v", s, again, err)
		}
	})
}
