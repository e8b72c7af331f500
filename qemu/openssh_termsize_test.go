package qemu

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// OpenSSH on a real terminal (a pty from script(1)) of 120 columns, then
// resized to 50 as a window is: the console's line editor wraps where the
// terminal does. x/term marks a wrap with "\r\n" as the cursor reaches the
// last column, so a 100-character line shows unbroken at 120 columns,
// and a 60-character one breaks after 46 (the prompt takes 4) at 50.
func TestOpenSSHTerminalSize(t *testing.T) {
	_, port := sshBoot(t)
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("no script(1) to give ssh a terminal")
	}
	bin, argv := opensshArgs(t, port, "-tt")
	line := "tty; stty cols 120 rows 40; exec " + bin
	for _, a := range argv {
		line += " '" + a + "'"
	}
	o := startCommand(t, "script", "-qfec", line, "/dev/null")
	pts := o.expect(`(/dev/pts/\d+)\r?\n`)[1]
	o.expect(prompt)

	long := strings.Repeat("x", 100)
	o.stdin.Write([]byte(long))
	o.expect(long)              // the prompt was read with the previous expect
	o.stdin.Write([]byte{0x03}) // Ctrl-C: the line goes
	o.expect(prompt)

	out, err := exec.Command("stty", "-F", pts, "cols", "50", "rows", "20").CombinedOutput()
	// ssh gets SIGWINCH and sends a window-change
	require.NoError(t, err, "%s", out)
	o.expect(prompt) // x/term repaints the prompt for the new width
	o.stdin.Write([]byte(strings.Repeat("y", 60)))
	o.expect(`(^|[^y])y{46}\r\ny{14}`)
	o.stdin.Write([]byte("\x03exit\r"))
	assert.Equal(t, 0, o.wait(), o.transcript())
}
