package console

import "io"

// StdinWriter is the output of a session that also has a byte stream for
// input: an SSH exec session (`ssh console@board upgrade < image.elf`). A
// command that takes a stream asserts its output to StdinWriter; the
// serial console and interactive sessions have none.
type StdinWriter interface {
	io.Writer
	Stdin() io.Reader
}

// Interrupter is the output of a session that can tell a running command
// to stop: an SSH exec session whose client left, or typed Ctrl-C on its
// terminal. A long command (bench restart) checks it between steps.
type Interrupter interface {
	io.Writer
	Interrupted() <-chan struct{}
}

// InterruptOf returns out's interruption channel, or nil (never ready)
// when out cannot be interrupted.
func InterruptOf(out io.Writer) <-chan struct{} {
	if i, ok := out.(Interrupter); ok {
		return i.Interrupted()
	}
	return nil
}
