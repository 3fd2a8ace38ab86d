#!/usr/bin/env bash
# deploy/bench/crash.sh [KILLS]: the crash scenario of issues 4 and 12 with as many kills as you like (default 20).
# Runs the agent as its own process with a 500/s counter and kills it with SIGKILL at random moments; in between, the
# broker (persistence on, saved after every change) is killed with SIGKILL or started again, and the ingest (its own
# process) is killed with SIGKILL and started again. Then it checks that every seq the journal accepted reached
# InfluxDB exactly once. It starts its own mosquitto, influxd and ingest on free loopback ports in temporary directories
# (the same code as the test Reliability.CrashTests) and ends with the line "accepted N, stored N, missing M, stored
# twice D; delivered more than once R (...)". Exit status 0 when M and D are 0.
# CRASH_SEED=N replays a run.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source deploy/dev/lib.sh

KILLS=${1:-20}
case "$KILLS" in ''|*[!0-9]*) echo "usage: $0 [KILLS]   (KILLS is a whole number; got '$KILLS')" >&2; exit 64 ;; esac
ensure_packages mosquitto:mosquitto influxd:influxdb || { echo "Could not install mosquitto and influxdb with apt-get." >&2; exit 1; }

OUT="$ROOT/artifacts/bench"
mkdir -p "$OUT"
REPORT="$OUT/crash-report.txt"
rm -f "$REPORT"
echo "Building (Release)..."
dotnet build tests/Gateway.IntegrationTests -c Release -nologo -v quiet -clp:ErrorsOnly > "$OUT/crash-build.log" 2>&1 || { cat "$OUT/crash-build.log"; exit 1; }
echo "Running $KILLS kills (log: $OUT/crash.log)..."
CRASH_KILLS=$KILLS CRASH_REPORT=$REPORT timeout $((600 + KILLS * 10)) dotnet test tests/Gateway.IntegrationTests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~Reliability.CrashTests" --logger "console;verbosity=detailed" > "$OUT/crash.log" 2>&1
code=$?
grep -E '^\s+kill [0-9]+/' "$OUT/crash.log" | sed 's/^ *//' | tail -n 5
if [ ! -s "$REPORT" ]; then
  echo "The scenario did not finish (exit $code); the end of $OUT/crash.log:" >&2
  tail -n 30 "$OUT/crash.log" >&2
  exit 1
fi
cat "$REPORT"
exit $code
