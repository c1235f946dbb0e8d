#!/usr/bin/env bash
# Smoke test of the built .deb: unpack it into a scratch root and run the bundled app with no
# network (a fresh network namespace: no interface but a loopback that is down), no Python of
# ours on PATH, a scratch home, and the file key store: doctor, setup, ingest, ask, then the
# desktop offscreen (and on Xvfb when it is installed) to prove the Qt plugins are bundled.
# Prints the wall time of each step. Usage: packaging/smoke.sh [dist/konspekt_*.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
deb=${1:-$(ls -t dist/konspekt_*.deb 2>/dev/null | head -n1)}
[ -f "$deb" ] || { echo "smoke: no .deb (run make package first)" >&2; exit 1; }
work=$(mktemp -d)
xvfb=""
cleanup() { [ -z "$xvfb" ] || kill "$xvfb" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dpkg -x "$deb" "$work/root"
app="$work/root/opt/konspekt/konspekt"
link=$(readlink "$work/root/usr/bin/konspekt")
[ "$link" = /opt/konspekt/konspekt ] || { echo "smoke: /usr/bin/konspekt -> $link" >&2; exit 1; }

# No network at all: the app must never need one. `unshare -n` as root; unprivileged CI
# runners map themselves to root in a user namespace first (-r).
if unshare -n true 2>/dev/null; then offline=(unshare -n --); else offline=(unshare -rn --); fi
"${offline[@]}" true || { echo "smoke: cannot create a network namespace" >&2; exit 1; }

mkdir -p "$work/home" "$work/cwd"
cd "$work/cwd"  # nothing of the repository is importable from here
run_env=(
    env -i PATH=/usr/bin:/bin HOME="$work/home" LANG=C.UTF-8 TMPDIR="$work"
    KONSPEKT_DATA_DIR="$work/home/data" KONSPEKT_KEY_STORE=file KONSPEKT_USER=smoke
    KONSPEKT_PASSWORD="smoke-Test-pass-2048" KONSPEKT_LANG=en QT_QPA_PLATFORM=offscreen
)
skip=" ${KONSPEKT_SMOKE_SKIP:-} "  # for trying the script on a branch without a command

since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'; }

step() {  # step NAME COMMAND...: run offline, print its output and wall time, fail loudly
    local name=$1 start took rc=0
    shift
    if [[ $skip == *" $name "* ]]; then echo "== $name: SKIPPED (KONSPEKT_SMOKE_SKIP)"; return; fi
    start=$(date +%s.%N)
    "${offline[@]}" "${run_env[@]}" "$@" >"$work/$name.out" 2>&1 || rc=$?
    took=$(since "$start")
    echo "== $name: exit $rc in $took s"
    sed 's/^/   | /' "$work/$name.out" | tail -n 60
    [ "$rc" -eq 0 ] || { echo "smoke: $name failed" >&2; exit 1; }
}

step help "$app" --help
step status-fresh "$app" status
step doctor "$app" doctor
step setup "$app" setup --recovery-file "$work/recovery.txt"
step ingest "$app" ingest "$repo/tests/corpus/debian-faq/en/basic-defs.en.html" \
    "$repo/tests/corpus/office/blk-paras-and-tables.docx" "$repo/tests/corpus/office/tbl-cell.pptx"
step ask "$app" ask "What is Debian?"
grep -q "Sources" "$work/ask.out" || { echo "smoke: ask printed no sources" >&2; exit 1; }
grep -q "basic-defs" "$work/ask.out" || { echo "smoke: ask cited no ingested file" >&2; exit 1; }

# keyring finds its backends through entry points: the bundle must carry their metadata.
# A fresh data folder keeps its key in a real Secret Service (gnome-keyring on a private
# D-Bus session, as on a Linux desktop), or setup fails.
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    unlock='echo -n smoke-login | gnome-keyring-daemon --unlock --components=secrets >/dev/null'
    step keyring env KONSPEKT_DATA_DIR="$work/home/data-keyring" KONSPEKT_KEY_STORE=keyring \
        dbus-run-session -- sh -c "$unlock; exec \"\$0\" setup" "$app"
    grep -q '"keychain": "keyring.backends.SecretService.Keyring"' \
        "$work/home/data-keyring/keystore.json" || { echo "smoke: no Secret Service key" >&2; exit 1; }
elif [ -n "${CI:-}" ]; then
    echo "smoke: CI needs dbus and gnome-keyring (see .ci/run)" >&2
    exit 1
fi

# The desktop must come up and stay up (it shows the login window) until it is stopped: a
# missing Qt plugin or library makes it exit at once. Exit 124 is `timeout` stopping it.
desktop_up() {  # desktop_up NAME EXTRA_ENV...
    local name=$1 rc=0
    shift
    "${offline[@]}" "${run_env[@]}" "$@" timeout -s TERM 20 "$app" desktop \
        >"$work/$name.out" 2>&1 || rc=$?
    echo "== $name: exit $rc after 20 s (124: still running when stopped)"
    sed 's/^/   | /' "$work/$name.out" | tail -n 15
    [ "$rc" -eq 124 ] || { echo "smoke: the desktop did not stay up ($name)" >&2; exit 1; }
}
desktop_up desktop-offscreen

# On a real X server (Xvfb), the xcb plugin and its libraries: time to the first window
# (a top-level window with the WM_CLASS "konspekt", not Qt's 1x1 helper windows).
if command -v Xvfb >/dev/null && command -v xwininfo >/dev/null; then
    # -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
    Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >/dev/null 2>&1 &
    xvfb=$!
    for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
    display=":$(head -n1 "$work/display")"
    [ "$display" != ":" ] || { echo "smoke: Xvfb did not start" >&2; exit 1; }
    start=$(date +%s.%N)
    "${offline[@]}" "${run_env[@]}" DISPLAY="$display" QT_QPA_PLATFORM=xcb timeout -s TERM 60 \
        "$app" desktop >"$work/desktop-xcb.out" 2>&1 &
    gui=$!
    shown=""
    for _ in $(seq 600); do
        if DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep -q '("konspekt" '; then
            shown=$(since "$start")
            break
        fi
        kill -0 "$gui" 2>/dev/null || break
        sleep 0.1
    done
    kill "$gui" 2>/dev/null || true
    wait "$gui" 2>/dev/null || true
    sed 's/^/   | /' "$work/desktop-xcb.out" | tail -n 15
    [ -n "$shown" ] || { echo "smoke: no desktop window on Xvfb" >&2; exit 1; }
    echo "== desktop-xcb: first window after $shown s"
fi
echo "smoke: the bundled app works offline ($deb)"
