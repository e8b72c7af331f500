// Command bankdump decodes a persistent bank image on the host: whether it
// would open warm or cold (and why), its blocks, every system record by
// name (boot record, controller, group and actor records, SSH host key,
// crash log), and a block's contents. The geometry comes from the bank's
// own header. The image is a raw copy of the bank, e.g. from QEMU's monitor:
//
//	(qemu) pmemsave 0x9ff00000 0x100000 bank.bin
//	go run ./tools/bankdump bank.bin
//	go run ./tools/bankdump -dump PM1 bank.bin
//	go run ./tools/bankdump -log bank.bin      # the crash log, whole
//
// The file is never written: the decoder works on a copy in memory.
package main

import (
	"cmp"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/hotrestart/tamago-hr/pmm"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bankdump:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bankdump", flag.ContinueOnError)
	dump := fs.String("dump", "", "hex dump of this block")
	max := fs.Int("bytes", 256, "bytes shown by -dump")
	log := fs.Bool("log", false, "print the crash log (dmesg of the boot that wrote the image)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: bankdump [-dump NAME [-bytes N] | -log] IMAGE")
	}
	mem, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	g, err := pmm.GeometryOf(mem)
	if err != nil {
		return fmt.Errorf("not a valid bank (%w)", err)
	}
	if len(mem) < g.Size {
		return fmt.Errorf("image is %d bytes, its bank header says %d", len(mem), g.Size)
	}
	mem = mem[:g.Size]
	b, rep, err := pmm.Open(mem, g)
	if err != nil {
		return err
	}
	if !rep.Warm {
		return fmt.Errorf("not a valid bank (%s)", rep.Reason)
	}
	switch {
	case *dump != "":
		blk, _, err := b.Lookup(*dump)
		if err != nil {
			return err
		}
		_, err = io.WriteString(out, hex.Dump(blk[:min(*max, len(blk))]))
		return err
	case *log:
		return printLog(b, out)
	}
	st := b.Stats()
	fmt.Fprintf(out, "bank: %d bytes, %d blocks max (from its header), %s\n", g.Size, g.MaxBlocks, rep.Reason)
	fmt.Fprintf(out, "pages: %d (%d used, %d free, %d metadata), blocks %d of %d\n",
		st.Pages, st.UsedPages, st.FreePages, st.MetaPages, st.Blocks, st.MaxBlocks)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKEY\tOWNER\tPAGE\tPAGES")
	for _, bi := range b.Blocks() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", bi.Name, bi.Key, bi.Owner, bi.FirstPage, bi.Pages)
	}
	// damaged records (pmm doc, Damage): the name as read, the pages withheld
	for _, q := range b.Quarantined() {
		fmt.Fprintf(tw, "%s\t-\tQUARANTINED slot %d\t%d\t%d\n", cmp.Or(q.Name, "?"), q.Slot, q.FirstPage, q.Pages)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return describeAll(b, out)
}
