# shellcheck shell=bash
# Shared by tools/run and tools/test: make this checkout ready on a fresh Debian machine.
#  1. the Debian packages Qt needs (offscreen for tests, xcb for a real window), only if missing;
#  2. a virtualenv in .venv with the pinned dependencies (tools/requirements.lock) and this
#     package installed editable. Re-installs only when pyproject.toml or the lock changed.
# Idempotent and quiet when there is nothing to do.

APT_PACKAGES=(
  python3-venv
  # Qt 6 (PySide6 wheels) at run time, offscreen and on X11
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0
  libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0 libnss3
  fonts-dejavu-core
)
# Only for tools/test: nobody who just runs the app wants a database server installed.
APT_TEST_PACKAGES=(
  # render a PDF page to PNG and check it is not blank; a virtual screen for screenshots;
  # a private D-Bus session bus for the desktop-notification tests (tests/fakes/notifications.py)
  poppler-utils xvfb xauth dbus-daemon
  # a throwaway PostgreSQL server for the shared wallet (tests/pgserver.py, issue 14)
  postgresql
)

tw_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "tokenwallet: please install these Debian packages first: ${missing[*]}" >&2; return 1
    fi
  fi
  echo "tokenwallet: installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

tw_venv() {
  local py=${PYTHON:-python3}
  if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "tokenwallet: needs Python 3.11 or newer ($py is $("$py" --version 2>&1))" >&2; return 1
  fi
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  local stamp=.venv/.tokenwallet-installed
  local want
  want=$(cat pyproject.toml tools/requirements.lock | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "tokenwallet: installing Python dependencies into .venv (pinned in tools/requirements.lock)" >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install -q --disable-pip-version-check -c tools/requirements.lock -e '.[dev]'
    echo "$want" > "$stamp"
  fi
}

tw_bootstrap() {
  tw_apt "${APT_PACKAGES[@]}" && tw_venv
}

tw_bootstrap_tests() {
  tw_apt "${APT_PACKAGES[@]}" "${APT_TEST_PACKAGES[@]}" && tw_venv
}
