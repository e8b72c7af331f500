//go:build v3 && !v3panic

package main

// migrationBug is false in the real v3.
const migrationBug = false
