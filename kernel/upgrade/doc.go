// Package upgrade checks a firmware image before the running one hands the
// board over to it (issue #16, "hot upgrade"): the ELF is for this board and
// fits the image area, its manifest agrees with the persistent bank and the
// controller's records, and, when the running image was built with a public
// key, it carries a valid minisign signature made with that key.
//
// Every check runs before anything stops, so a refused image costs nothing:
// the caller prints the one error and keeps running.
//
// An upgrade stream is the ELF file, optionally followed by a detached
// minisign signature of exactly those ELF bytes (the text file minisign -S
// writes, "untrusted comment: …" first). The ELF's own headers say where it
// ends (its section header table is its last part, as every Go and GNU
// linker lays it out), so no length prefix is needed and `cat image.elf
// image.elf.minisig` is a valid stream.
//
// The manifest is a non-loaded ELF section, ManifestSection, added by the
// build (objcopy --add-section): lines of "key=value" under a first line
// "hr-manifest 1". The running image builds its own manifest from the same
// constants, so both sides compare like with like.
//
// The package is pure Go (debug/elf, aead.dev/minisign) and tested on the
// host.
package upgrade
