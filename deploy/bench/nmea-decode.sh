#!/usr/bin/env bash
# NMEA decoding rate: gatewayctl gps replay --sky against gpsd's gpsdecode (Debian gpsd-clients) on the same log,
# in the same run, both writing JSON to /dev/null. The log is gpsd's reference logs (../shared/testdata/gpsd)
# concatenated until it is at least MIN_MB megabytes. Prints sentences per second for each and the ratio.
#   MIN_MB=20 RUNS=3 deploy/bench/nmea-decode.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source deploy/dev/lib.sh
MIN_MB=${MIN_MB:-20}
RUNS=${RUNS:-3}
LOGS=${GPSD_LOGS:-$ROOT/../shared/testdata/gpsd}

ensure_packages gpsdecode:gpsd-clients || { echo "Could not install gpsd-clients (gpsdecode) with apt-get." >&2; exit 1; }

echo "Building gatewayctl (Release)..."
dotnet build src/Gateway.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
CTL="$ROOT/src/Gateway.Cli/bin/Release/net10.0/gatewayctl"

WORK=$(mktemp -d /tmp/nmea-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
BIG="$WORK/big.nmea"
: > "$BIG"
while [ "$(stat -c %s "$BIG")" -lt $((MIN_MB * 1024 * 1024)) ]; do
  cat "$LOGS"/*.log >> "$BIG"
done
SENTENCES=$(grep -c '^\$' "$BIG" || true)
echo "Log: $(($(stat -c %s "$BIG") / 1024 / 1024)) MiB, $SENTENCES sentences (lines starting with \$)"

best() { # best wall time in seconds of RUNS runs of "$@" with output to /dev/null
  local best="" t
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$@" < "$BIG" > /dev/null 2>&1
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
  done
  echo "$best"
}

OURS=$(best "$CTL" gps replay --sky -)
GPSD=$(best gpsdecode)
OURS_RATE=$(awk -v n="$SENTENCES" -v t="$OURS" 'BEGIN { print n / t }')
GPSD_RATE=$(awk -v n="$SENTENCES" -v t="$GPSD" 'BEGIN { print n / t }')
printf 'gatewayctl gps replay --sky: %10.0f sentences/s (%.2f s, best of %d)\n' "$OURS_RATE" "$OURS" "$RUNS"
printf 'gpsdecode (gpsd %s):     %10.0f sentences/s (%.2f s, best of %d)\n' "$(gpsdecode -V 2>&1 | awk '{print $3}')" "$GPSD_RATE" "$GPSD" "$RUNS"
printf 'ratio: %.2f x gpsdecode\n' "$(awk -v a="$OURS_RATE" -v b="$GPSD_RATE" 'BEGIN { print a / b }')"
