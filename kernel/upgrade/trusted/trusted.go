// Package trusted holds what an image trusts for hot upgrades, fixed at
// build time: the minisign public key that must have signed a new image,
// and the image's own version.
//
// The committed key file is empty (no signature required); `make
// UPGRADE_KEY=path/to/minisign.pub` lays the given file over it
// (build/overlay-*.json), like AUTHORIZED_KEYS. The version is set by the
// linker: -X github.com/hotrestart/tamago-hr/kernel/upgrade/trusted.Version=…
// (make VERSION=…, default `git describe --always --dirty`), and so is the
// security version (make SECURITY_VERSION=…, default 0).
package trusted

import _ "embed"

// PublicKey is the minisign public key file (minisign -G's .pub), or empty.
//
//go:embed upgrade.pub
var PublicKey []byte

// Version is the image's version string, as written into its manifest.
var Version = "unknown"

// Security is the image's security version (decimal uint32), as written
// into its manifest (upgrade.KeySecurity).
var Security = "0"
