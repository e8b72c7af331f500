package examples

import (
	"encoding/binary"
	"strings"
	"time"
)

const (
	tick   = 100 * time.Millisecond
	time1s = time.Second
)

var le = binary.LittleEndian

func joinArgs(a []string) string { return strings.Join(a, " ") }
