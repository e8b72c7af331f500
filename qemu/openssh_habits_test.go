package qemu

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// opensshArgs is the OpenSSH command line for the board on port with the
// test key: options, then args (options and the remote command, if any).
func opensshArgs(t *testing.T, port int, args ...string) (bin string, argv []string) {
	t.Helper()
	bin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no OpenSSH client: make test installs openssh-client")
	}
	key := filepath.Join(t.TempDir(), "id")
	pem, err := os.ReadFile(os.Getenv("HR_SSH_KEY"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(key, pem, 0o600))
	argv = []string{"-p", strconv.Itoa(port), "-i", key, "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"}
	var opts, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			rest = args[i:]
			break
		}
		opts = append(opts, a)
		if a == "-o" && i+1 < len(args) {
			i++
			opts = append(opts, args[i])
		}
	}
	// OpenSSH takes an option's first value: the caller's come first
	return bin, append(append(append(opts, argv...), "console@127.0.0.1"), rest...)
}

// opensshSession is an OpenSSH client driven through its standard input
// like pexpect does: its output (stdout and stderr) is read as a shell's.
type opensshSession struct {
	*shell
	cmd  *exec.Cmd
	done chan error
}

func startOpenSSH(t *testing.T, port int, args ...string) *opensshSession {
	t.Helper()
	bin, argv := opensshArgs(t, port, args...)
	return startCommand(t, bin, argv...)
}

// startCommand starts bin, to be driven through its standard input.
func startCommand(t *testing.T, bin string, argv ...string) *opensshSession {
	t.Helper()
	cmd := exec.Command(bin, argv...)
	sh := &shell{t: t, more: make(chan struct{}, 1)}
	in, err := cmd.StdinPipe()
	require.NoError(t, err)
	sh.stdin = in
	cmd.Stdout, cmd.Stderr = sh, sh
	require.NoError(t, cmd.Start())
	o := &opensshSession{shell: sh, cmd: cmd, done: make(chan error, 1)}
	go func() { o.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if o.cmd.ProcessState == nil {
			o.cmd.Process.Kill()
		}
	})
	return o
}

// wait waits for the client to return by itself and gives its status.
func (o *opensshSession) wait() int {
	o.t.Helper()
	select {
	case err := <-o.done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		require.NoError(o.t, err)
		return 0
	case <-time.After(timeout):
		o.t.Fatalf("ssh did not return; it printed:\n%s", o.transcript())
		return -1
	}
}

// opensshStdin runs the OpenSSH client with stdin as its input and returns
// its status, its standard output and its standard error.
func opensshStdin(t *testing.T, port int, stdin string, args ...string) (int, string, string) {
	t.Helper()
	bin, argv := opensshArgs(t, port, args...)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, argv...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "ssh %v hung: %s%s", args, out.String(), errOut.String())
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), errOut.String()
	}
	require.NoError(t, err)
	return 0, out.String(), errOut.String()
}

// Shell habits with the OpenSSH client: exit and logout end a session, an
// exec'd arun says where its actor's output goes, a pipe of commands stops
// at the first failing one, ssh -t upgrade refuses keystrokes as an image,
// other clients' logins stay off a session and dmesg holds no escapes.
func TestOpenSSHShellHabits(t *testing.T) {
	s, port := sshBoot(t)

	for _, word := range []string{"exit", "logout"} {
		o := startOpenSSH(t, port, "-tt")
		o.expect(prompt)
		o.send(word)
		assert.Equal(t, 0, o.wait(), "%s: %s", word, o.transcript())
	}

	code, out := openssh(t, port, timeout, "arun echo hello-from-exec")
	assert.Equal(t, 0, code, out)
	assert.Regexp(t, `^Started aid = \d+\nits output goes to the console log: the UART, interactive sessions \(ssh -t board\), dmesg now\n$`, out)
	s.expect("hello-from-exec")

	// a command line longer than the UART takes is refused whole, not
	// run (hostile finding CMD23-6: this one restarted the site)
	code, out = openssh(t, port, timeout, "restart"+strings.Repeat(" ", 5000))
	assert.Equal(t, 1, code, out)
	assert.Equal(t, "error: line too long (5007 bytes, at most 4096)\n", out)

	code, stdout, stderr := opensshStdin(t, port, "aps\nbogus\naps\n", "-T")
	assert.Equal(t, 1, code, stdout+stderr)
	assert.Equal(t, 1, strings.Count(stdout, "AID"), "aps ran once, before the failing line: %q", stdout)
	assert.NotContains(t, stdout, prompt, "no prompt without a terminal")
	assert.Equal(t, "error: line 2: unknown command \"bogus\" (try help)\n", stderr)
	code, stdout, stderr = opensshStdin(t, port, "uptime\nuptime\n", "-T")
	assert.Equal(t, 0, code, stdout+stderr)
	assert.Equal(t, 2, strings.Count(stdout, "up "), stdout)

	o := startOpenSSH(t, port, "-tt", "upgrade")
	o.stdin.Write([]byte{0x03})
	assert.Equal(t, 1, o.wait(), o.transcript())
	o.expect(`error: upgrade: receive stopped after 0 bytes: standard input is a terminal \(ssh -t\), not a file: run it without -t, e\.g\. ssh board upgrade < image\.elf; \S+ keeps running`)
	assert.Contains(t, s.run("upgrade status"), "running", "the board runs on")

	// another client's login is the UART's business, not this session's
	a := startOpenSSH(t, port, "-tt")
	a.expect(prompt)
	code, out = openssh(t, port, timeout, "uptime")
	require.Equal(t, 0, code, out)
	s.expect(`ssh: 127\.0\.0\.1:\d+|ssh: 10\.0\.0\.2:\d+: "console" logged in`)
	a.send("uptime")
	a.expect(`up \d`)
	assert.NotContains(t, a.transcript(), "logged in")
	// keys that type nothing (Left, Backspace, Home, Tab) leave the prompt
	// alone for the next log line too (hostile finding B-1)
	a.stdin.Write([]byte("\x1b[D\x7f\x1b[1~\t"))
	require.NoError(t, s.Send("arun echo after-stray-keys"))
	a.expect(`after-stray-keys\r\n`)
	a.send("uptime")
	answer := a.expect(`(?s)(.*?)` + prompt)[1]
	assert.Regexp(t, `up \d`, answer)
	assert.NotContains(t, answer, "\x1b[4D", "no prompt erased and drawn again")
	a.send("exit")
	assert.Equal(t, 0, a.wait())

	// a line typed over a log line, and redrawn around it
	s.run("arun -g 1 counter")
	s.expect(`counter-client: \d+0\r\n`)
	require.NoError(t, s.SendRaw([]byte("upti")))
	s.expect(`counter-client: \d+0\r\n`)
	require.NoError(t, s.Send("me"))
	s.expect(`up \d`)
	dmesg := s.run("dmesg now")
	assert.Contains(t, dmesg, "hr: ready in", "dmesg holds this boot's log")
	assert.Contains(t, dmesg, "hr> upti", "and the typed line")
	assert.NotContains(t, dmesg, "\x1b", "but no escape sequence")
}

// A script drives the console as pexpect does (wait for "hr> ", send a
// line, read up to the next "hr> ") while actors print: every one of 100
// answers is the right one, over SSH with -tt and over the UART.
func TestOpenSSHScriptWhileActorsPrint(t *testing.T) {
	s, port := sshBoot(t)
	s.run("arun -g 1 counter") // it spawns its client, which prints every 10 reads
	s.expect(`counter-client: \d+0\r?\n`)

	o := startOpenSSH(t, port, "-tt")
	o.expect(prompt)
	// poke makes an actor print tag on every console
	script := func(name string, send func(string), expect func(string) []string, poke func(tag string)) {
		for i := range 100 {
			line := fmt.Sprintf("bogus%d", i)
			want := regexp.QuoteMeta(fmt.Sprintf(`error: unknown command "%s" (try help)`, line))
			if i%2 == 1 {
				line, want = "uptime", `up \d`
			}
			if i%5 == 0 {
				// a log line comes while the prompt waits: it must not
				// make a second prompt (a script would take it for the
				// answer's end)
				tag := fmt.Sprintf("tick-%s-%d", name, i)
				poke(tag)
				expect(tag + `\r\n`)
			}
			send(line)
			answer := expect(`(?s)(.*?)` + prompt)[1]
			require.Regexp(t, want, answer, "%s: answer %d", name, i)
			require.Contains(t, answer, line, "%s: answer %d is to its own line", name, i)
		}
	}
	script("ssh", o.send, o.expect, func(tag string) { require.NoError(t, s.Send("arun echo "+tag)) })
	o.expect(`counter-client: \d+0`) // the log went on meanwhile

	// an exec session shows its command's output only
	for range 5 {
		code, out := openssh(t, port, timeout, "uptime")
		require.Equal(t, 0, code, out)
		assert.Regexp(t, `^up \d[^\n]*\n$`, out)
	}
	// log off: this session shows only its answers; log on: back
	o.send("log off")
	o.expect(`\(log on: back\)\r\n` + prompt)
	require.NoError(t, s.Send("arun echo unseen-after-log-off"))
	s.expect("unseen-after-log-off")
	o.send("log on")
	o.expect(`system lines\r\n` + prompt)
	require.NoError(t, s.Send("arun echo seen-after-log-on"))
	o.expect("seen-after-log-on")
	assert.NotContains(t, o.transcript(), "unseen-after-log-off")
	// Home and End as tmux, screen, PuTTY and the Linux console send them
	o.shell.stdin.Write([]byte("ptim\x1b[1~u\x1b[4~e\r"))
	o.expect(`up \d`)
	require.NoError(t, s.SendRaw([]byte("ptim\x1b[7~u\x1b[8~e\r"))) // rxvt's
	s.expect(`up \d`)
	s.run("uptime")
	s.expect(prompt)
	script("UART", func(line string) { require.NoError(t, s.Send(line)) }, s.expect, func(tag string) { o.send("arun echo " + tag) })
	o.send("exit")
	assert.Equal(t, 0, o.wait())
}

// A long command whose OpenSSH client goes away (killed, or Ctrl-C on a
// terminal) stops on the board, and its bench block is not freed under it
// meanwhile (hostile finding B-2).
func TestOpenSSHLongCommandStopsWithItsClient(t *testing.T) {
	s, port := sshBoot(t)
	for _, how := range []string{"kill", "ctrl-c"} {
		args := []string{"bench restart -n 100000"}
		if how == "ctrl-c" {
			args = []string{"-tt", args[0]}
		}
		o := startOpenSSH(t, port, args...)
		o.expect(`bench: group restart of \d+ actors`)
		code, out := openssh(t, port, timeout, "pmm free bench.restart")
		assert.Equal(t, 1, code, out)
		assert.Contains(t, out, `error: pmm free "bench.restart": in use by a running bench restart`)
		if how == "kill" {
			require.NoError(t, o.cmd.Process.Kill())
		} else {
			o.stdin.Write([]byte{0x03})
			assert.Equal(t, 1, o.wait(), o.transcript())
			o.expect(`error: bench: interrupted \(the client left or typed Ctrl-C\) after \d+ restarts`)
		}
		// the bench ends on the board: a new one may run
		require.Eventually(t, func() bool {
			code, _ := openssh(t, port, timeout, "bench restart -n 1")
			return code == 0
		}, timeout, settle, how)
	}
	assert.Regexp(t, `^up \d`, s.run("uptime"))
}
