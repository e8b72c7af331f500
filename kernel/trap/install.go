package trap

// Hooks is what the exception path needs of the kernel and the board. Each
// function is called from exception context or a dying runtime (see the
// package doc): it must not allocate, must not take a lock that the
// interrupted goroutine may hold, and must work on the g0 stack with IRQs
// masked. Tx and Reset are required on the board; Fatal may be nil.
type Hooks struct {
	// Tx writes one byte to the console UART, waiting for room in its
	// FIFO (Board.ConsoleTx).
	Tx func(c byte)
	// Fatal records in the boot record, before the reset, that the site
	// goes down for why (a CPU fault outside an actor, a runtime exit). why
	// lives in a static buffer or the binary's rodata; Fatal must not keep
	// it. The boot record's store takes its lock with TryLock for this
	// reason (bootrec.Store.IntendFatal). Nil before there is a boot
	// record: nothing is recorded.
	Fatal func(why string)
	// Reset resets the SoC keeping DRAM, the bank with it; it does not
	// return (Board.WarmReset).
	Reset func()
}

// hooks is set once by Install, before this package's handlers are live,
// and only read afterwards (single core: the exception handler sees it).
var hooks Hooks

// Install gives the exception path its hooks, sends to the UART what was
// printed before (it waited in the crash log's early buffer), and then
// makes this package's handlers live (the early buffer is not sent twice
// when Console had the UART): the CPU-fault handler
// (arm.SystemExceptionHandler) and the runtime exit hook (goos.Exit). The
// boot calls it once, first, before anything may fault on purpose. On the
// host there are no vectors: only the hooks are kept.
func Install(h Hooks) {
	sent := hooks.Tx != nil // Console had the UART: early is on it already
	hooks = h
	if h.Tx != nil && !sent {
		for _, c := range early[:earlyN] {
			h.Tx(c)
		}
	}
	installHandlers()
}

// Console gives printk the console UART before Install (tx: Hooks.Tx),
// sending what waited in the early buffer. The kernel calls it from its
// package initialisation, so that what is printed before Main boots — a
// panic in a later package's init, the runtime's own complaints — reaches
// the UART at once rather than waiting for an Install that never comes.
func Console(tx func(c byte)) {
	for _, c := range early[:earlyN] {
		tx(c)
	}
	hooks.Tx = tx
}
