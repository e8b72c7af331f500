package command

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// semihostChunk is read per semihosting call; progress is printed every
// progressStep bytes.
const (
	semihostChunk = 256 << 10
	progressStep  = 2 << 20
)

// receiveIdle is how long a stream may send nothing: a stalled peer must
// not hold the one upgrade slot (and a session) for ever.
const receiveIdle = 10 * time.Second

// receive reads an upgrade stream from in up to its end, at most limit
// bytes, printing progress; it gives up when in sends nothing for idle. A
// stream cut before its end is caught by upgrade.Parse (the ELF's headers
// say how long it is).
func receive(out io.Writer, in io.Reader, limit int, idle time.Duration) ([]byte, error) {
	buf := make([]byte, 0, 1<<20)
	next := progressStep
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := readIdle(in, buf[len(buf):cap(buf)], idle)
		buf = buf[:len(buf)+n]
		if len(buf) > limit {
			return nil, fmt.Errorf("stream longer than the %d bytes a staging slot holds", limit)
		}
		if len(buf) >= next {
			fmt.Fprintf(out, "upgrade: %d bytes\n", len(buf))
			next += progressStep
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		} else if err != nil {
			return nil, fmt.Errorf("receive stopped after %d bytes: %v", len(buf), err)
		}
	}
}

// readIdle is in.Read that gives up after idle with no data. A Read given
// up on goes on in its goroutine until the peer sends or closes; its bytes
// land in a buffer nobody reads any more.
func readIdle(in io.Reader, p []byte, idle time.Duration) (int, error) {
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := in.Read(p)
		done <- result{n, err}
	}()
	t := time.NewTimer(idle)
	defer t.Stop()
	select {
	case r := <-done:
		return r.n, r.err
	case <-t.C:
		return 0, fmt.Errorf("no data for %v", idle)
	}
}
