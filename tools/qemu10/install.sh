#!/usr/bin/env bash
# Installs a QEMU >= 9.1 for the test suite into DIR, beside the system's,
# and writes DIR/bin/qemu-system-arm, a wrapper that runs it.
#
# QEMU 9.1 and later model the i.MX UART's 32-entry receive FIFO as silicon
# has it (README "Testing"). Where the system's qemu-system-arm is already
# that recent, the wrapper runs it. Otherwise (Debian 12 ships 7.2) Debian's
# QEMU 10.0 is taken from bookworm-backports: its three packages are
# downloaded with an apt source list used for this download only, unpacked
# with dpkg -x (nothing is installed, the system's QEMU stays), and run with
# its own modules and firmware directory.
#
# usage: install.sh DIR VERSION
set -euo pipefail
dir=$1 version=$2
mkdir -p "$dir/bin"
wrapper=$dir/bin/qemu-system-arm

sys=$(command -v qemu-system-arm || true)
if [ -n "$sys" ]; then
	v=$("$sys" --version | sed -n 's/^QEMU emulator version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
	read -r major minor <<<"$v"
	if (( major > 9 || (major == 9 && minor >= 1) )); then
		printf '#!/bin/sh\nexec %s "$@"\n' "$sys" >"$wrapper"
		chmod +x "$wrapper"
		echo "qemu10: the system's $("$sys" --version | head -1) models the FIFO; using it"
		exit 0
	fi
fi

echo "qemu10: fetching Debian's qemu-system-arm $version from bookworm-backports into $dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/backports.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt=(-o "Dir::Etc::sourcelist=$tmp/backports.sources" -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0)
apt-get "${apt[@]}" update -qq
(cd "$tmp" && apt-get "${apt[@]}" download -qq \
	"qemu-system-arm=$version" "qemu-system-common=$version" "qemu-system-data=$version" 2>/dev/null)
rm -rf "$dir/root"
for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dir/root"; done
root=$dir/root
# Without its own module directory and firmware path it would load the
# system's (7.2) modules and abort; -audio none keeps it off the audio modules.
cat >"$wrapper" <<SH
#!/bin/sh
QEMU_MODULE_DIR=$root/usr/lib/x86_64-linux-gnu/qemu exec $root/usr/bin/qemu-system-arm -L $root/usr/share/qemu -audio none "\$@"
SH
chmod +x "$wrapper"
"$wrapper" --version | head -1
