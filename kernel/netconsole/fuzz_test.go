package netconsole

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// fakeChannel is an exec session's channel: no input, output collected.
type fakeChannel struct {
	out, stderr bytes.Buffer
}

func (c *fakeChannel) Read([]byte) (int, error)                       { return 0, io.EOF }
func (c *fakeChannel) Write(p []byte) (int, error)                    { return c.out.Write(p) }
func (c *fakeChannel) Close() error                                   { return nil }
func (c *fakeChannel) CloseWrite() error                              { return nil }
func (c *fakeChannel) Stderr() io.ReadWriter                          { return &c.stderr }
func (c *fakeChannel) SendRequest(string, bool, []byte) (bool, error) { return false, nil }

// FuzzExecRequest: no "exec" request payload (RFC 4254 §6.5, from a key
// holder) makes the server panic; what decodes runs as one console line
// and ends with status 0, or 1 and exactly one error line on stderr.
func FuzzExecRequest(f *testing.F) {
	for _, s := range []string{"echo hello  world", "frobnicate", "", "help", "echo \x1b[31mred", "a\nb", "\xff\xfe"} {
		f.Add(ssh.Marshal(struct{ Command string }{s}), false)
		f.Add(ssh.Marshal(struct{ Command string }{s}), true)
	}
	f.Add([]byte{0, 0, 0, 9, 'a'}, false)
	f.Fuzz(func(t *testing.T, payload []byte, pty bool) {
		var cmd struct{ Command string }
		if ssh.Unmarshal(payload, &cmd) != nil {
			return
		}
		ch := &fakeChannel{}
		switch status := runExec(ch, &liveSession{}, testShell(t), cmd.Command, pty, newInterrupt()); status {
		case 0:
			if ch.stderr.Len() != 0 {
				t.Fatalf("status 0 with stderr %q", ch.stderr.String())
			}
		case 1:
			e := strings.TrimSuffix(ch.stderr.String(), "\n")
			if pty {
				e = strings.TrimSuffix(ch.stderr.String(), "\r\n")
			}
			if !strings.HasPrefix(e, "error: ") || strings.ContainsAny(e, "\r\n") {
				t.Fatalf("stderr %q is not one error line", ch.stderr.String())
			}
		default:
			t.Fatalf("status %d", status)
		}
	})
}
