#!/usr/bin/env bash
# Smoke-run the frozen bundle: the console program's commands and the windowed program, offscreen.
#     bash packaging/smoke.sh [dist/GridStation]
# Used by .ci/run (Linux) and .github/workflows/windows.yml (Git Bash on Windows).
set -euo pipefail
bundle="${1:-dist/GridStation}"
ext=""
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) ext=".exe" ;; esac
cli="$bundle/gridstation-cli$ext"
gui="$bundle/GridStation$ext"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
export GRIDSTATION_LOG_DIR="$work/logs"
export XDG_DATA_HOME="$work/data" LOCALAPPDATA="$work/data"  # a fresh user: no embedded city yet
db="sqlite:///$work/smoke.db"

step() { echo "== $*"; }
step "--help";      "$cli" --help | grep -q "db upgrade\|{db," || { echo "no command list in --help"; exit 1; }
step "--version";   "$cli" --version
step "db upgrade";  "$cli" --db "$db" db upgrade
step "demo";        "$cli" --db "$db" demo --cases 3000 --months 2 | tail -n 2
step "users list";  "$cli" --db "$db" users list | head -n 3
step "report";      "$cli" --db "$db" report weekly --out "$work/weekly.pdf"
test -s "$work/weekly.pdf" && head -c 5 "$work/weekly.pdf" | grep -q "%PDF" || { echo "no PDF written"; exit 1; }
step "bad command"; set +e; "$cli" --db "$db" users passwd nobody --password-stdin </dev/null; code=$?; set -e
[ "$code" = 2 ] || { echo "expected exit code 2, got $code"; exit 1; }

# the windowed program: the sign-in window on a fresh user (the demo build starts behind its
# progress window); it must still be running after a few seconds, then it is stopped
step "GridStation (windowed, offscreen, 8 s)"
"$gui" --db "$db" >"$work/gui.out" 2>&1 &
pid=$!
sleep 8
if ! kill -0 "$pid" 2>/dev/null; then
  wait "$pid"; code=$?
  echo "the windowed program exited early with code $code"; cat "$work/gui.out"; cat "$work"/logs/*.log || true
  exit 1
fi
kill "$pid"; wait "$pid" 2>/dev/null || true
if grep -q "uncaught exception\|Traceback" "$work"/logs/*.log; then
  echo "the windowed program logged an error:"; cat "$work"/logs/*.log; exit 1
fi
echo "logs: $(ls "$work/logs")"
echo "smoke: all passed"
