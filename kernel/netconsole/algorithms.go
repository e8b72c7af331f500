package netconsole

import "golang.org/x/crypto/ssh"

// The algorithms offered, in order of preference: those of OpenSSH's current
// defaults that x/crypto/ssh implements and that ssh-audit's policy passes
// without a [fail] or [warn]. x/crypto's own defaults add NIST-curve and
// SHA-1 key exchanges and encrypt-and-MAC modes, which ssh-audit flags.
// Strict key exchange (Terrapin, CVE-2023-48795) is always on in x/crypto.
var (
	// KeyExchanges: post-quantum hybrid first, then curve25519; x/crypto
	// adds the curve25519-sha256@libssh.org alias for OpenSSH < 7.3.
	KeyExchanges = []string{ssh.KeyExchangeMLKEM768X25519, ssh.KeyExchangeCurve25519}
	// Ciphers: AEAD first; CTR is safe only because every MAC below is
	// encrypt-then-MAC.
	Ciphers = []string{ssh.CipherChaCha20Poly1305, ssh.CipherAES256GCM, ssh.CipherAES128GCM,
		ssh.CipherAES256CTR, ssh.CipherAES192CTR, ssh.CipherAES128CTR}
	// MACs: encrypt-then-MAC only (unused with the AEAD ciphers).
	MACs = []string{ssh.HMACSHA256ETM, ssh.HMACSHA512ETM}
	// PublicKeyAuths: the client key signatures accepted, without SHA-1
	// RSA ("ssh-rsa") and DSA, as OpenSSH since 8.8.
	PublicKeyAuths = []string{ssh.KeyAlgoED25519, ssh.KeyAlgoSKED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoSKECDSA256,
		ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521, ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256}
)

// MaxAuthTries bounds the authentication attempts of one connection, as
// OpenSSH's MaxAuthTries (same default).
const MaxAuthTries = 6

// ServerVersion is the identification line sent to every peer (RFC 4253
// §4.2). It names the project and not the build: the build's version is
// for key holders (`version`), not for whoever can reach the port.
const ServerVersion = "SSH-2.0-HotRestart_1"
