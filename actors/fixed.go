package actors

import (
	"errors"
	"fmt"
	"iter"
	"strings"
)

// Fixed-size helpers for state types, which may hold no string, slice or
// map (the bank outlives the heap): a string in a byte array, and a map of
// fixed capacity in an array of entries. Both encode as plain arrays, so
// the migration rules apply to them like to any field.

// Str16, Str32 and Str64 are strings of at most 16, 32 and 64 bytes kept
// in state; the unused tail is zero. A longer array migrates from a
// shorter one (the rules pad with zeros).
type (
	Str16 [16]byte
	Str32 [32]byte
	Str64 [64]byte
)

// ErrStringTooLong: a string does not fit its fixed-size array.
var ErrStringTooLong = errors.New("actors: string too long for its array")

// SetString stores s in dst (a [N]byte field, as dst[:]), the tail zeroed,
// or returns ErrStringTooLong and leaves dst as it was.
func SetString(dst []byte, s string) error {
	if len(s) > len(dst) {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrStringTooLong, len(s), len(dst))
	}
	clear(dst[copy(dst, s):])
	return nil
}

// GetString returns the string kept in b, its zero tail trimmed.
func GetString(b []byte) string { return strings.TrimRight(string(b), "\x00") }

// Set stores s (ErrStringTooLong beyond 16 bytes).
func (a *Str16) Set(s string) error { return SetString(a[:], s) }

// String returns the string kept.
func (a Str16) String() string { return GetString(a[:]) }

// Set stores s (ErrStringTooLong beyond 32 bytes).
func (a *Str32) Set(s string) error { return SetString(a[:], s) }

// String returns the string kept.
func (a Str32) String() string { return GetString(a[:]) }

// Set stores s (ErrStringTooLong beyond 64 bytes).
func (a *Str64) Set(s string) error { return SetString(a[:], s) }

// String returns the string kept.
func (a Str64) String() string { return GetString(a[:]) }

// ErrMapFull: a fixed-capacity map has no free entry for a new key.
var ErrMapFull = errors.New("actors: map full")

// Entry is one slot of a fixed-capacity map: Used says whether it holds
// Key and Val. K and V must be state types themselves (Str16, uint32, a
// struct of fixed-size fields).
type Entry[K comparable, V any] struct {
	Used bool
	Key  K
	Val  V
}

// Map16 and Map64 are maps of at most 16 and 64 entries kept in state, in
// slots (a deleted key frees its slot). The zero value is empty. Lookups
// scan the slots: meant for small tables, not indexes.
type (
	Map16[K comparable, V any] struct{ E [16]Entry[K, V] }
	Map64[K comparable, V any] struct{ E [64]Entry[K, V] }
)

// Get returns the value of k and whether the map holds it.
func (m *Map16[K, V]) Get(k K) (V, bool) { return mapGet(m.E[:], k) }

// Set stores v under k, or returns ErrMapFull (the map unchanged).
func (m *Map16[K, V]) Set(k K, v V) error { return mapSet(m.E[:], k, v) }

// Delete removes k; it reports whether the map held it.
func (m *Map16[K, V]) Delete(k K) bool { return mapDelete(m.E[:], k) }

// Len is the number of keys held.
func (m *Map16[K, V]) Len() int { return mapLen(m.E[:]) }

// All yields the keys and values held, in slot order.
func (m *Map16[K, V]) All() iter.Seq2[K, V] { return mapAll(m.E[:]) }

// Get returns the value of k and whether the map holds it.
func (m *Map64[K, V]) Get(k K) (V, bool) { return mapGet(m.E[:], k) }

// Set stores v under k, or returns ErrMapFull (the map unchanged).
func (m *Map64[K, V]) Set(k K, v V) error { return mapSet(m.E[:], k, v) }

// Delete removes k; it reports whether the map held it.
func (m *Map64[K, V]) Delete(k K) bool { return mapDelete(m.E[:], k) }

// Len is the number of keys held.
func (m *Map64[K, V]) Len() int { return mapLen(m.E[:]) }

// All yields the keys and values held, in slot order.
func (m *Map64[K, V]) All() iter.Seq2[K, V] { return mapAll(m.E[:]) }

func mapGet[K comparable, V any](e []Entry[K, V], k K) (V, bool) {
	for i := range e {
		if e[i].Used && e[i].Key == k {
			return e[i].Val, true
		}
	}
	var zero V
	return zero, false
}

func mapSet[K comparable, V any](e []Entry[K, V], k K, v V) error {
	free := -1
	for i := range e {
		switch {
		case e[i].Used && e[i].Key == k:
			e[i].Val = v
			return nil
		case !e[i].Used && free < 0:
			free = i
		}
	}
	if free < 0 {
		return fmt.Errorf("%w: %d entries", ErrMapFull, len(e))
	}
	e[free] = Entry[K, V]{Used: true, Key: k, Val: v}
	return nil
}

func mapDelete[K comparable, V any](e []Entry[K, V], k K) bool {
	for i := range e {
		if e[i].Used && e[i].Key == k {
			e[i] = Entry[K, V]{}
			return true
		}
	}
	return false
}

func mapLen[K comparable, V any](e []Entry[K, V]) int {
	n := 0
	for i := range e {
		if e[i].Used {
			n++
		}
	}
	return n
}

func mapAll[K comparable, V any](e []Entry[K, V]) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for i := range e {
			if e[i].Used && !yield(e[i].Key, e[i].Val) {
				return
			}
		}
	}
}
