package pmm

import (
	"fmt"
	"strings"
)

// printable reports whether s is 1..max bytes of 0x21..0x7e: names and keys
// appear on the console and in logs, so they must print unambiguously.
func printable(s string, maxLen int) bool {
	if len(s) == 0 || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func checkName(name string) error {
	if !printable(name, MaxNameLen) {
		return fmt.Errorf("%w: %q (want 1..%d printable ASCII bytes, no spaces)", ErrBadName, name, MaxNameLen)
	}
	return nil
}

func checkKey(key string) error {
	if !printable(key, MaxKeyLen) {
		return fmt.Errorf("%w: %q (want 1..%d printable ASCII bytes, no spaces)", ErrBadKey, key, MaxKeyLen)
	}
	return nil
}

func reserved(s string) bool { return strings.HasPrefix(s, ReservedPrefix) }

// pagesFor rounds size up to whole pages without overflowing.
func pagesFor(size int) int {
	p := size / PageSize
	if size%PageSize != 0 {
		p++
	}
	return p
}
