package qemu

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"time"
)

// GDB is a minimal client of QEMU's gdbstub (GDB Remote Serial Protocol,
// "Packets" in the GDB manual, appendix E): enough to write guest memory
// while the CPU is stopped (-S) and let it run. Tests use it to put RAM in a
// known bad state before the firmware starts.
type GDB struct {
	c net.Conn
	r *bufio.Reader
}

// DialGDB connects to a gdbstub at addr (QEMU's -gdb tcp:ADDR), retrying
// until QEMU listens or timeout passes.
func DialGDB(addr string, timeout time.Duration) (*GDB, error) {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.SetDeadline(deadline)
			return &GDB{c: c, r: bufio.NewReader(c)}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("gdb: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// send writes one packet and returns the reply's payload.
func (g *GDB) send(payload string) (string, error) {
	var sum byte
	for i := 0; i < len(payload); i++ {
		sum += payload[i]
	}
	if _, err := fmt.Fprintf(g.c, "$%s#%02x", payload, sum); err != nil {
		return "", err
	}
	// QEMU announces that the CPU stopped (a T or S packet) when a debugger
	// attaches to a running machine; such packets may come before the ack
	// and before the reply, and are acknowledged and skipped.
	for {
		b, err := g.r.ReadByte()
		if err != nil {
			return "", fmt.Errorf("gdb: no ack for %q: %w", payload, err)
		}
		if b == '+' {
			break
		}
		if b == '$' {
			if _, err := g.packet(); err != nil {
				return "", err
			}
		}
	}
	if payload == "c" {
		return "", nil // the reply comes when the CPU stops again
	}
	for {
		if _, err := g.r.ReadString('$'); err != nil {
			return "", err
		}
		reply, err := g.packet()
		if err != nil || (reply != "" && (reply[0] == 'T' || reply[0] == 'S')) {
			if err != nil {
				return "", err
			}
			continue
		}
		return reply, nil
	}
}

// packet reads the rest of a packet after its '$' and acknowledges it.
func (g *GDB) packet() (string, error) {
	reply, err := g.r.ReadString('#')
	if err != nil {
		return "", err
	}
	if _, err := g.r.Discard(2); err != nil {
		return "", err
	}
	_, err = g.c.Write([]byte{'+'})
	return reply[:len(reply)-1], err
}

// Write32 stores v (little endian) at the guest physical address addr.
func (g *GDB) Write32(addr, v uint32) error {
	b := binary.LittleEndian.AppendUint32(nil, v)
	reply, err := g.send(fmt.Sprintf("M%x,4:%s", addr, hex.EncodeToString(b)))
	if err == nil && reply != "OK" {
		err = fmt.Errorf("gdb: write %#x: %q", addr, reply)
	}
	return err
}

// Read32 loads the little-endian word at addr.
func (g *GDB) Read32(addr uint32) (uint32, error) {
	reply, err := g.send(fmt.Sprintf("m%x,4", addr))
	if err != nil {
		return 0, err
	}
	b, err := hex.DecodeString(reply)
	if err != nil || len(b) != 4 {
		return 0, fmt.Errorf("gdb: read %#x: %q", addr, reply)
	}
	return binary.LittleEndian.Uint32(b), nil
}

// Continue lets the CPU run and closes the connection.
func (g *GDB) Continue() error {
	_, err := g.send("c")
	g.c.Close()
	return err
}
