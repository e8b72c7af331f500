package kernel

import _ "embed"

// authorizedKeys is the OpenSSH authorized_keys file built into the image:
// the committed file is empty, and `make image AUTHORIZED_KEYS=path` lays
// the given file over it (build/overlay-*.json), so keys never live in the
// repository and an image built without one has no network console.
//
//go:embed authorized_keys
var authorizedKeys []byte
