package console

// Asker is a command's output that is told when its command is the one
// that takes the board down: the kernel's way down tells it once, after
// its latch (so never a refused request) and before it closes the
// consoles. An SSH exec or script of that command then ends with exit
// status 0, as `ssh board restart` should, and not with the hang-up signal
// of a command that someone else's restart cut.
type Asker interface {
	TakesBoardDown()
}
