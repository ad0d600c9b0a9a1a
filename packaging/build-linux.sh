#!/usr/bin/env bash
# Builds the Linux bundle: a PyInstaller one-folder build of Token Wallet (the app and the CLI in
# one executable), then a tarball of it with the desktop entry, the icon and install.sh.
#
#   packaging/build-linux.sh [--dist DIR] [--work DIR]
#
#   DIR/tokenwallet/tokenwallet                          the executable (run it in place)
#   DIR/tokenwallet-VERSION-linux-ARCH.tar.gz            the same folder, to hand out
#
# Defaults: --dist dist, --work build/pyinstaller. Installs what it needs first (tools/bootstrap.sh,
# then PyInstaller pinned in packaging/requirements-build.txt into .venv). The last line printed is
# the built executable's absolute path (scripts and the smoke test read it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIST=$ROOT/dist
WORK=$ROOT/build/pyinstaller
while [ $# -gt 0 ]; do
  case $1 in
    --dist) DIST=$(realpath -m "$2"); shift 2 ;;  # relative to where you run it from
    --work) WORK=$(realpath -m "$2"); shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build-linux.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
cd "$ROOT"

# shellcheck source=tools/bootstrap.sh
. tools/bootstrap.sh
APT_PACKAGES+=(binutils)  # PyInstaller runs objdump, objcopy and strip
tw_bootstrap >&2

stamp=.venv/.tokenwallet-build-installed
want=$(sha256sum packaging/requirements-build.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "build-linux.sh: installing PyInstaller into .venv (packaging/requirements-build.txt)" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -c tools/requirements.lock \
    -r packaging/requirements-build.txt >&2
  echo "$want" > "$stamp"
fi

version=$(.venv/bin/python -c 'import tokenwallet; print(tokenwallet.__version__)')
arch=$(uname -m)
name=tokenwallet-$version-linux-$arch
started=$(date +%s)

# offscreen: the spec draws the Windows/macOS icons with Qt, and a build needs no display
QT_QPA_PLATFORM=offscreen .venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/tokenwallet.spec >&2

folder=$DIST/tokenwallet
exe=$folder/tokenwallet
install -m755 packaging/install.sh "$folder/install.sh"
install -m644 resources/tokenwallet.desktop "$folder/tokenwallet.desktop"
install -m644 resources/icons/tokenwallet.svg "$folder/tokenwallet.svg"

# the same checks the smoke test starts with: the bundle runs, and finds its resources
"$exe" --version >&2
"$exe" preview --model gpt-4o-mini --data-dir "$WORK/check-wallet" - <<<"hello from the bundle" >/dev/null

tar -C "$DIST" --transform "s,^tokenwallet,$name," -czf "$DIST/$name.tar.gz" tokenwallet
echo "build-linux.sh: built in $(($(date +%s) - started)) s: $(du -sh "$folder" | cut -f1) unpacked," \
  "$(du -h "$DIST/$name.tar.gz" | cut -f1) as $DIST/$name.tar.gz" >&2
echo "$exe"
