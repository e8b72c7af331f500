// Command bankdump decodes a persistent bank image on the host: whether it
// would open warm or cold (and why), its blocks, and a block's contents. The
// image is a raw copy of the bank, e.g. from QEMU's monitor:
//
//	(qemu) pmemsave 0x9ff00000 0x100000 bank.bin
//	go run ./tools/bankdump bank.bin
//	go run ./tools/bankdump -dump PM1 bank.bin
//
// The file is never written: the decoder works on a copy in memory.
package main

import (
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
	blocks := fs.Int("blocks", pmm.DefaultMaxBlocks, "pmm.maxBlocks the image was built with")
	dump := fs.String("dump", "", "hex dump of this block")
	max := fs.Int("bytes", 256, "bytes shown by -dump")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: bankdump [-blocks N] [-dump NAME [-bytes N]] IMAGE")
	}
	mem, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	mem = mem[:len(mem)/pmm.PageSize*pmm.PageSize]
	b, rep, err := pmm.Open(mem, pmm.Geometry{Size: len(mem), MaxBlocks: *blocks})
	if err != nil {
		return err
	}
	if !rep.Warm {
		return fmt.Errorf("not a valid bank (%s)", rep.Reason)
	}
	if *dump != "" {
		blk, _, err := b.Lookup(*dump)
		if err != nil {
			return err
		}
		_, err = io.WriteString(out, hex.Dump(blk[:min(*max, len(blk))]))
		return err
	}
	st := b.Stats()
	fmt.Fprintf(out, "bank: %d bytes, %s\n", len(mem), rep.Reason)
	fmt.Fprintf(out, "pages: %d (%d used, %d free, %d metadata), blocks %d of %d\n",
		st.Pages, st.UsedPages, st.FreePages, st.MetaPages, st.Blocks, st.MaxBlocks)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKEY\tOWNER\tPAGE\tPAGES")
	for _, bi := range b.Blocks() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", bi.Name, bi.Key, bi.Owner, bi.FirstPage, bi.Pages)
	}
	return tw.Flush()
}
