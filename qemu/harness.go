// Package qemu boots a firmware image under qemu-system-arm (machine
// mcimx6ul-evk) and drives its serial console: Send a line, Expect a regular
// expression, keep the whole transcript for failure reports. It builds
// nothing; the Makefile passes the image in HR_IMAGE.
package qemu

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"time"
)

// Options tunes a machine.
type Options struct {
	// Limit is the hard limit after which QEMU is killed, whatever happens.
	Limit time.Duration
	// Target selects the console UART: "mx6ullevk" (UART1) or "usbarmory" (UART2).
	Target string
	// Monitor, when set, is a unix socket path for QEMU's human monitor
	// (see Machine.Monitor); otherwise there is none.
	Monitor string
	// SSHPort, when set, puts the EVK's first ENET on QEMU's user-mode
	// network (10.0.0.0/24, host 10.0.0.2) and forwards 127.0.0.1:SSHPort
	// to the board's 10.0.0.1:22; otherwise the machine has no network.
	SSHPort int
	// Extra QEMU arguments.
	Extra []string
}

// Machine is one running QEMU process.
type Machine struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	cancel context.CancelFunc

	monitor string // HMP socket path, or ""

	mu   sync.Mutex
	out  bytes.Buffer // everything the console printed
	pos  int          // Expect searches from here
	more chan struct{}

	done     chan struct{}
	exitCode int
	waitErr  error
}

// Start boots image.
func Start(image string, o Options) (*Machine, error) {
	if _, err := os.Stat(image); err != nil {
		return nil, fmt.Errorf("qemu: image: %w", err)
	}
	if o.Limit == 0 {
		o.Limit = 2 * time.Minute
	}
	serial := []string{"-serial", "stdio", "-serial", "null"}
	if o.Target == "usbarmory" {
		serial = []string{"-serial", "null", "-serial", "stdio"}
	}
	monitor := "none"
	if o.Monitor != "" {
		monitor = "unix:" + o.Monitor + ",server,nowait"
	}
	network := []string{"-net", "none"}
	if o.SSHPort != 0 {
		network = []string{"-net", "nic,model=imx.enet,netdev=net0", "-netdev",
			fmt.Sprintf("user,id=net0,net=10.0.0.0/24,host=10.0.0.2,hostfwd=tcp:127.0.0.1:%d-10.0.0.1:22", o.SSHPort)}
	}
	args := append([]string{"-machine", "mcimx6ul-evk", "-cpu", "cortex-a7", "-m", "512M",
		"-nographic", "-monitor", monitor, "-semihosting"}, network...)
	args = append(args, serial...)
	args = append(args, o.Extra...)
	args = append(args, "-kernel", image)

	ctx, cancel := context.WithTimeout(context.Background(), o.Limit)
	cmd := exec.CommandContext(ctx, "qemu-system-arm", args...)
	cmd.WaitDelay = 2 * time.Second
	m := &Machine{cmd: cmd, cancel: cancel, monitor: o.Monitor, more: make(chan struct{}, 1), done: make(chan struct{}), exitCode: -1}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	m.stdin = stdin
	cmd.Stdout = (*sink)(m)
	cmd.Stderr = (*sink)(m)
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("qemu: %w", err)
	}
	go func() {
		m.waitErr = cmd.Wait()
		if cmd.ProcessState != nil {
			m.exitCode = cmd.ProcessState.ExitCode()
		}
		close(m.done)
		m.notify()
	}()
	return m, nil
}

type sink Machine

func (s *sink) Write(p []byte) (int, error) {
	m := (*Machine)(s)
	m.mu.Lock()
	m.out.Write(p)
	m.mu.Unlock()
	m.notify()
	return len(p), nil
}

// quietFor reports whether no output arrives within d. It is called with
// m.mu held and returns with it held.
func (m *Machine) quietFor(d time.Duration) bool {
	n := m.out.Len()
	m.mu.Unlock()
	time.Sleep(d)
	m.mu.Lock()
	return m.out.Len() == n
}

func (m *Machine) notify() {
	select {
	case m.more <- struct{}{}:
	default:
	}
}

// Send types line and Enter on the console. Input is paced in small chunks:
// the emulated UART takes one byte at a time.
func (m *Machine) Send(line string) error {
	_, err := io.WriteString(m.stdin, line+"\r")
	return err
}

// SendRaw types b as is: control bytes, escape sequences, no Enter.
func (m *Machine) SendRaw(b []byte) error {
	_, err := m.stdin.Write(b)
	return err
}

// ErrTimeout is returned by Expect when the pattern did not show in time.
var ErrTimeout = errors.New("qemu: timeout")

// Expect waits until pattern matches the output printed since the previous
// match, returns the submatches and moves past the match.
func (m *Machine) Expect(pattern string, timeout time.Duration) ([]string, error) {
	return m.ExpectSettled(pattern, 0, timeout)
}

// ExpectSettled is Expect for patterns anchored at the end of the output
// ("…prompt$"): a match counts only when no more output arrives for settle,
// because a chunk of a longer output can end with the same text.
func (m *Machine) ExpectSettled(pattern string, settle, timeout time.Duration) ([]string, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		m.mu.Lock()
		rest := m.out.Bytes()[m.pos:]
		loc := re.FindSubmatchIndex(rest)
		if loc != nil && settle > 0 && !m.quietFor(settle) {
			m.mu.Unlock()
			select {
			case <-deadline.C:
				return nil, fmt.Errorf("%w after %v: output never settled for %q", ErrTimeout, timeout, pattern)
			default:
			}
			continue // more output came: look again
		}
		if loc != nil {
			subs := submatches(rest, loc)
			m.pos += loc[1]
			m.mu.Unlock()
			return subs, nil
		}
		m.mu.Unlock()
		select {
		case <-m.more:
		case <-m.done:
			// drain what was printed last, then give up
			m.mu.Lock()
			matched := re.Match(m.out.Bytes()[m.pos:])
			m.mu.Unlock()
			if !matched {
				return nil, fmt.Errorf("qemu exited (%v) before %q", m.waitErr, pattern)
			}
		case <-deadline.C:
			return nil, fmt.Errorf("%w after %v waiting for %q", ErrTimeout, timeout, pattern)
		}
	}
}

// Unread moves the Expect position back by n bytes (never before the
// start), so that text a caller has looked at can still be expected.
func (m *Machine) Unread(n int) {
	m.mu.Lock()
	m.pos = max(0, m.pos-n)
	m.mu.Unlock()
}

// Since returns the output printed after the last match.
func (m *Machine) Since() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.out.String()[m.pos:]
}

// Transcript returns everything the console printed.
func (m *Machine) Transcript() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.out.String()
}

// Wait waits for QEMU to exit and returns its status.
func (m *Machine) Wait(timeout time.Duration) (int, error) {
	select {
	case <-m.done:
		return m.exitCode, nil
	case <-time.After(timeout):
		return -1, fmt.Errorf("%w: qemu still running after %v", ErrTimeout, timeout)
	}
}

// Kill stops QEMU (always safe to call, also after it exited).
func (m *Machine) Kill() {
	m.cancel()
	<-m.done
}

// Monitor runs one human-monitor command (e.g. "pmemsave ADDR SIZE FILE")
// and returns what QEMU answered.
func (m *Machine) Monitor(cmd string, timeout time.Duration) (string, error) {
	if m.monitor == "" {
		return "", errors.New("qemu: started without a monitor")
	}
	c, err := net.DialTimeout("unix", m.monitor, timeout)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	var got []byte
	buf := make([]byte, 4096)
	waitPrompt := func() error {
		for !bytes.HasSuffix(bytes.TrimRight(got, " "), []byte("(qemu)")) {
			n, err := c.Read(buf)
			got = append(got, buf[:n]...)
			if err != nil {
				return fmt.Errorf("qemu monitor: %w (got %q)", err, got)
			}
		}
		return nil
	}
	if err := waitPrompt(); err != nil {
		return "", err
	}
	got = got[:0]
	if _, err := io.WriteString(c, cmd+"\n"); err != nil {
		return "", err
	}
	if err := waitPrompt(); err != nil {
		return "", err
	}
	return string(got), nil
}

// submatches turns a FindSubmatchIndex result on b into strings ("" for a
// group that did not take part).
func submatches(b []byte, loc []int) []string {
	subs := make([]string, len(loc)/2)
	for i := range subs {
		if loc[2*i] >= 0 {
			subs[i] = string(b[loc[2*i]:loc[2*i+1]])
		}
	}
	return subs
}
