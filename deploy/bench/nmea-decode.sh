#!/usr/bin/env bash
# NMEA decoding rate: gatewayctl gps replay --sky against gpsd's gpsdecode (Debian gpsd-clients) on the same log,
# in the same run, all writing JSON to /dev/null. The log is gpsd's reference logs (../shared/testdata/gpsd)
# concatenated until it is at least MIN_MB megabytes. Times the gatewayctl that ships (native AOT, taken from the
# package deploy/package/build.sh builds; rebuilt only when the sources changed) and the JIT build (dotnet build, what
# `dotnet run` and the tests use; JIT=0 skips it), alternating the programs RUNS times; prints sentences per second for
# each and the ratios.
#   MIN_MB=20 RUNS=5 deploy/bench/nmea-decode.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source deploy/dev/lib.sh
MIN_MB=${MIN_MB:-20}
RUNS=${RUNS:-5}
# The shared logs lie beside the main checkout; from a git worktree elsewhere, beside the repository it belongs to.
LOGS=${GPSD_LOGS:-$(cd "$(git rev-parse --path-format=absolute --git-common-dir)/../.." && pwd)/shared/testdata/gpsd}

ensure_packages gpsdecode:gpsd-clients /usr/bin/time:time || { echo "Could not install gpsd-clients (gpsdecode) and time with apt-get." >&2; exit 1; }

WORK=$(mktemp -d /tmp/nmea-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
BIG="$WORK/big.nmea"
: > "$BIG"
while [ "$(stat -c %s "$BIG")" -lt $((MIN_MB * 1024 * 1024)) ]; do
  cat "$LOGS"/*.log >> "$BIG"
done
SENTENCES=$(grep -c '^\$' "$BIG" || true)
echo "Log: $(($(stat -c %s "$BIG") / 1024 / 1024)) MiB, $SENTENCES sentences (lines starting with \$)"

ARCH=$(dpkg --print-architecture)
echo "Building the gatewayctl package ($ARCH, native AOT; minutes the first time, reused while the sources are unchanged)..."
DEB=$(deploy/package/build.sh --package gatewayctl --arch "$ARCH" | tail -n 1)
dpkg-deb -x "$DEB" "$WORK/package"
AOT="$WORK/package/usr/bin/gatewayctl"
PROGRAMS=(aot gpsdecode)
if [ "${JIT:-1}" = 1 ]; then
  echo "Building gatewayctl (Release, JIT)..."
  dotnet build src/Gateway.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
  PROGRAMS=(aot jit gpsdecode)
fi
JITCTL="$ROOT/src/Gateway.Cli/bin/Release/net10.0/gatewayctl"

# Wall time, and CPU time (user + system, from /usr/bin/time): on a shared, loaded machine the wall time measures the
# other processes as much as ours; the CPU time each program spent is the steadier figure. Both are printed, each the
# best of RUNS; the programs take turns, so a burst of load from elsewhere falls on all of them alike.
declare -A WALL CPU
run() { # run NAME: one timed run of program NAME over the log, output to /dev/null; keeps the best wall and CPU
  local name=$1 start end t cpu cmd
  case "$name" in
    aot) cmd=("$AOT" gps replay --sky -) ;;
    jit) cmd=("$JITCTL" gps replay --sky -) ;;
    gpsdecode) cmd=(gpsdecode) ;;
  esac
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$WORK/time" "${cmd[@]}" < "$BIG" > /dev/null 2>/dev/null || true
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')
  cpu=$(awk '{ printf "%.4f", $1 + $2 }' "$WORK/time")
  if [ -z "${WALL[$name]:-}" ] || awk -v t="$t" -v b="${WALL[$name]}" 'BEGIN { exit !(t < b) }'; then WALL[$name]=$t; fi
  if [ -z "${CPU[$name]:-}" ] || awk -v t="$cpu" -v b="${CPU[$name]}" 'BEGIN { exit !(t < b) }'; then CPU[$name]=$cpu; fi
}

LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
for _ in $(seq "$RUNS"); do
  for name in "${PROGRAMS[@]}"; do run "$name"; done
done
rate() { awk -v n="$SENTENCES" -v t="$1" 'BEGIN { print n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
line() { # line LABEL NAME
  printf '%-40s %10.0f sentences/s wall (%.2f s), %10.0f per CPU second (%.2f s); best of %d\n' \
    "$1" "$(rate "${WALL[$2]}")" "${WALL[$2]}" "$(rate "${CPU[$2]}")" "${CPU[$2]}" "$RUNS"
}
line "gatewayctl gps replay --sky (native AOT):" aot
[ -n "${WALL[jit]:-}" ] && line "gatewayctl gps replay --sky (JIT):" jit
line "gpsdecode (gpsd $(gpsdecode -V 2>&1 | awk '{print $3}')):" gpsdecode
printf 'ratio, native AOT (as shipped): %s x gpsdecode by wall time, %s x by CPU time\n' \
  "$(ratio "${WALL[gpsdecode]}" "${WALL[aot]}")" "$(ratio "${CPU[gpsdecode]}" "${CPU[aot]}")"
[ -n "${WALL[jit]:-}" ] && printf 'ratio, JIT:                     %s x gpsdecode by wall time, %s x by CPU time\n' \
  "$(ratio "${WALL[gpsdecode]}" "${WALL[jit]}")" "$(ratio "${CPU[gpsdecode]}" "${CPU[jit]}")"
echo "load average: $LOAD_BEFORE before the runs, $(cut -d' ' -f1 /proc/loadavg) after"
