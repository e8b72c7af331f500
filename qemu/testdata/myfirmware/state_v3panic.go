//go:build v3panic

package main

// migrationBug makes v3's migration panic (built with `-tags v3panic`:
// the Makefile's hr-app-v3panic image), for the QEMU test of a bug in a
// user's migration: that Load fails with the panic, and the upgrade's
// trial rolls back.
const migrationBug = true
