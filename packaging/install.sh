#!/bin/sh
# Token Wallet for Linux: puts the app in your desktop's application menu, for you only.
#
#   ./install.sh               desktop entry and icon into ~/.local/share (run it from the unpacked folder)
#   ./install.sh --link-cli    also ~/.local/bin/tokenwallet -> this folder's executable
#   ./install.sh --uninstall   removes what the two above added (the folder and your wallet stay)
#
# Nothing outside your home directory is touched, nothing needs root. The menu entry runs the
# executable in this folder: move the folder, then run ./install.sh again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$data/applications
icon=$data/icons/hicolor/scalable/apps/tokenwallet.svg
entry=$apps/tokenwallet.desktop
bin=$HOME/.local/bin/tokenwallet

case ${1:-} in
  --uninstall)
    rm -f "$entry" "$icon"
    if [ -L "$bin" ] && [ "$(readlink "$bin")" = "$here/tokenwallet" ]; then rm -f "$bin"; fi
    echo "Removed the Token Wallet menu entry. Your wallet is kept (tokenwallet backup, or delete it yourself)."
    exit 0 ;;
  ""|--link-cli) ;;
  *) echo "install.sh: unknown option $1 (--link-cli, --uninstall)" >&2; exit 2 ;;
esac

[ -x "$here/tokenwallet" ] || { echo "install.sh: $here/tokenwallet is missing: run me from the unpacked folder" >&2; exit 1; }
mkdir -p "$apps" "$(dirname "$icon")"
cp "$here/tokenwallet.svg" "$icon"
# Exec: the desktop entry spec's quoting, so a folder with spaces in its path works
exe=$(printf '%s' "$here/tokenwallet" | sed 's/[\\"`$]/\\&/g')
sed "s|^Exec=.*|Exec=\"$exe\"|" "$here/tokenwallet.desktop" > "$entry.tmp"
mv "$entry.tmp" "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" 2>/dev/null || true
echo "Installed: $entry"

if [ "${1:-}" = "--link-cli" ]; then
  mkdir -p "$(dirname "$bin")"
  ln -sfn "$here/tokenwallet" "$bin"
  echo "Linked: $bin"
  case ":$PATH:" in *":$HOME/.local/bin:"*) ;; *) echo "Add it to your PATH: export PATH=\"\$HOME/.local/bin:\$PATH\"" ;; esac
else
  echo "The command line is the same program: $here/tokenwallet status (or ./install.sh --link-cli)"
fi
