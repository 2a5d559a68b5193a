#!/usr/bin/env bash
# Smoke-run the frozen bundle: the console program's commands, and the windowed program (client
# and wall) offscreen.   bash packaging/smoke.sh [dist/GridStation]
# Used by .ci/run (Linux) and .github/workflows/windows.yml (Git Bash on Windows).
set -euo pipefail
bundle="${1:-dist/GridStation}"
ext=""
windows=""
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) ext=".exe"; windows=1 ;; esac
cli="$bundle/gridstation-cli$ext"
gui="$bundle/GridStation$ext"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -n "$windows" ]; then
  # Git Bash: hand the native programs C:/... paths, and leave URLs and paths in arguments alone
  work="$(cygpath -m "$work")"
  export MSYS_NO_PATHCONV=1 MSYS2_ARG_CONV_EXCL="*"
fi
export QT_QPA_PLATFORM=offscreen
export GRIDSTATION_LOG_DIR="$work/logs"
# a new user: no embedded city, no settings
export XDG_DATA_HOME="$work/data" LOCALAPPDATA="$work/data" XDG_CONFIG_HOME="$work/config" APPDATA="$work/config"
unset GRIDSTATION_DB
db="sqlite:///$work/smoke.db"
passed=0
step() { echo "== $*"; }
ok() { passed=$((passed + 1)); }
fail() { echo "FAILED: $*"; ls "$work/logs" 2>/dev/null && cat "$work"/logs/*.log 2>/dev/null | tail -n 40; echo "smoke: $passed passed, 1 failed"; exit 1; }

step "gridstation-cli --help"
"$cli" --help >"$work/help.txt" || fail "--help"
grep -q "upgrade\|{db," "$work/help.txt" || fail "--help lists no commands"; ok
step "gridstation-cli --version"; "$cli" --version || fail "--version"; ok
step "db upgrade"; "$cli" --db "$db" db upgrade || fail "db upgrade"; ok
step "demo --cases 3000"; "$cli" --db "$db" demo --cases 3000 --months 2 >"$work/demo.txt" || fail "demo"
tail -n 2 "$work/demo.txt"; ok
step "users list | head (a closed pipe is no error)"; "$cli" --db "$db" users list | head -n 3 || fail "users list"; ok
step "report weekly --out"; "$cli" --db "$db" report weekly --out "$work/weekly.pdf" || fail "report weekly"
head -c 5 "$work/weekly.pdf" | grep -q "%PDF" || fail "no PDF written"; ok
step "profile list (the city profiles travel in the bundle)"
"$cli" --db "$db" profile list >"$work/profiles.txt" || fail "profile list"
grep -q "zhengzhou" "$work/profiles.txt" || fail "profile list shows no zhengzhou"; ok
step "serve: Open311 services.json and the handheld page"
port=$((20000 + RANDOM % 20000))
"$cli" --db "$db" serve --host 127.0.0.1 --port "$port" >"$work/serve.out" 2>&1 &
serve_pid=$!
for _ in $(seq 40); do curl -sf "http://127.0.0.1:$port/open311/v2/services.json" >"$work/services.json" 2>/dev/null && break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$port/handheld/" || { cat "$work/serve.out"; kill "$serve_pid"; fail "serve: no handheld page"; }
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
grep -q "service_code" "$work/services.json" || { cat "$work/serve.out"; fail "serve: no services.json"; }; ok
step "a refused command exits with 2"
set +e; "$cli" --db "$db" users passwd nobody --password-stdin </dev/null; code=$?; set -e
[ "$code" = 2 ] || fail "expected exit code 2, got $code"; ok

alive() {  # alive SECONDS LABEL COMMAND...: runs, must not exit before SECONDS, then is stopped
  local secs=$1 label=$2; shift 2
  "$@" >"$work/$label.out" 2>&1 &
  local pid=$!
  sleep "$secs"
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"; local code=$?
    cat "$work/$label.out"; fail "$label exited early with code $code"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
step "GridStation (windowed): a new user's first start, offscreen, 10 s"
alive 10 client "$gui"; ok
step "GridStation wall (windowed), offscreen, quits by itself after 8 s"
GRIDSTATION_WALL_PASSWORD=demo "$gui" --db "$db" wall --windowed --quit-after 8 >"$work/wall.out" 2>&1 \
  || { cat "$work/wall.out"; fail "the wall exited with an error"; }
ok
if grep -l "uncaught exception\|Traceback" "$work"/logs/*.log; then fail "an error was logged"; fi
grep -q "signed in as wall" "$work/logs/wall.log" || fail "the wall did not sign in"
echo "logs written: $(cd "$work/logs" && ls | tr '\n' ' ')"; ok
echo "smoke: $passed passed, 0 failed"
