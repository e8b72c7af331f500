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
