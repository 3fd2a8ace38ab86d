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
# The shared logs lie beside the main checkout; from a git worktree elsewhere, beside the repository it belongs to.
LOGS=${GPSD_LOGS:-$(cd "$(git rev-parse --path-format=absolute --git-common-dir)/../.." && pwd)/shared/testdata/gpsd}

ensure_packages gpsdecode:gpsd-clients /usr/bin/time:time || { echo "Could not install gpsd-clients (gpsdecode) and time with apt-get." >&2; exit 1; }

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

# Wall time, and CPU time (user + system, from /usr/bin/time): on a shared, loaded machine the wall time measures the
# other processes as much as ours; the CPU time each program spent is the steadier figure. Both are printed.
best() { # "WALL CPU": the best of each over RUNS runs of "$@" with output to /dev/null
  local best="" cpu_best="" t cpu
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$WORK/time" "$@" < "$BIG" > /dev/null 2>/dev/null || true
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')
    cpu=$(awk '{ printf "%.4f", $1 + $2 }' "$WORK/time")
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
    if [ -z "$cpu_best" ] || awk -v t="$cpu" -v b="$cpu_best" 'BEGIN { exit !(t < b) }'; then cpu_best=$cpu; fi
  done
  echo "$best $cpu_best"
}

read -r OURS OURS_CPU < <(best "$CTL" gps replay --sky -)
read -r GPSD GPSD_CPU < <(best gpsdecode)
rate() { awk -v n="$SENTENCES" -v t="$1" 'BEGIN { print n / t }'; }
printf 'gatewayctl gps replay --sky: %10.0f sentences/s wall (%.2f s), %10.0f per CPU second (%.2f s); best of %d\n' \
  "$(rate "$OURS")" "$OURS" "$(rate "$OURS_CPU")" "$OURS_CPU" "$RUNS"
printf 'gpsdecode (gpsd %s):     %10.0f sentences/s wall (%.2f s), %10.0f per CPU second (%.2f s); best of %d\n' \
  "$(gpsdecode -V 2>&1 | awk '{print $3}')" "$(rate "$GPSD")" "$GPSD" "$(rate "$GPSD_CPU")" "$GPSD_CPU" "$RUNS"
printf 'ratio: %.2f x gpsdecode by wall time, %.2f x by CPU time (load average %s)\n' \
  "$(awk -v a="$GPSD" -v b="$OURS" 'BEGIN { print a / b }')" "$(awk -v a="$GPSD_CPU" -v b="$OURS_CPU" 'BEGIN { print a / b }')" \
  "$(cut -d' ' -f1 /proc/loadavg)"
