#!/usr/bin/env bash
# The README's second command: installs what the tests need, builds, runs every test project, and ends with one line
# "N passed, N failed, N skipped" summed over all of them. Exits non-zero if anything failed or a test run crashed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source deploy/dev/lib.sh

# Real servers at the edges (DESIGN §8): the tests start their own on free loopback ports.
ensure_packages mosquitto:mosquitto mosquitto_pub:mosquitto-clients influxd:influxdb influx:influxdb-client socat:socat \
  sshd:openssh-server ssh:openssh-client openssl:openssl chromium:chromium victoria-metrics:victoria-metrics node:nodejs npm:npm \
  chronyd:chrony chronyc:chrony gpsd:gpsd gpspipe:gpsd-clients ss:iproute2 curl:curl \
  mkfs.ext4:e2fsprogs losetup:mount setpriv:util-linux \
  qemu-aarch64-static:qemu-user-static lintian:lintian dpkg-deb:dpkg clang:clang ld.lld:lld llvm-objcopy:llvm || {
  echo "Could not install the test servers with apt-get; see the messages above." >&2
  exit 1
}
# The agent as it runs on a Pi: native AOT cross-linked for arm64 and run under qemu (DESIGN §8).
ensure_arm64_libs || { echo "Could not install the arm64 libraries with apt-get; see the messages above." >&2; exit 1; }

RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# Every project must be in the solution, or the build below silently skips it and it rots (the benchmarks once did).
missing=$(comm -23 <(find src tests -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' | sort) \
  <(dotnet sln Gateway.sln list | grep '\.csproj$' | tr '\\' '/' | sort))
if [ -n "$missing" ]; then
  echo "Projects missing from Gateway.sln (add them with dotnet sln add):"; echo "$missing"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "Building (Release)..."
if ! dotnet build Gateway.sln -c Release -nologo -v quiet -clp:ErrorsOnly > "$RESULTS/build.log" 2>&1; then
  cat "$RESULTS/build.log"
  echo "0 passed, 1 failed"
  exit 1
fi

# The packages the tests install and run (Packaging/ in the integration tests), built once per run here rather than
# inside a test, where minutes of native AOT compilation would count against the hang timeout.
# gatewayctl and the ingest are packaged from the Release build just made (--from-build: seconds, no second publish).
echo "Building the arm64 agent package (native AOT), gatewayctl and gateway-ingest amd64 (from the build)..."
start=$(date +%s)
export GATEWAY_PACKAGES="$ROOT/artifacts/packages"
if ! { deploy/package/build.sh --out "$GATEWAY_PACKAGES" --package gateway-agent --arch arm64 &&
       deploy/package/build.sh --out "$GATEWAY_PACKAGES" --from-build --package gatewayctl --package gateway-ingest --arch amd64; } > "$RESULTS/package.log" 2>&1; then
  cat "$RESULTS/package.log"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "   $(($(date +%s) - start)) s"

passed=0 failed=0 skipped=0 crashed=0
# vstest gives its test host 90 s to connect back; on a loaded machine (one run at load 37 here) the largest assembly's
# host took longer and the whole project was reported as aborted without running a test.
export VSTEST_CONNECTION_TIMEOUT=600
for project in tests/*/; do
  name=$(basename "$project")
  [ -f "$project/$name.csproj" ] || continue
  grep -q '<IsTestProject>true</IsTestProject>' "$project/$name.csproj" || continue
  echo "== $name"
  # The hang timeout turns a stuck test into a failure with a dump instead of a stuck CI run.
  timeout 1200 dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$RESULTS" --blame-hang-timeout 5m > "$RESULTS/$name.log" 2>&1
  code=$?
  trx="$RESULTS/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "   no results (exit $code); output:"; tail -n 40 "$RESULTS/$name.log"
    crashed=$((crashed + 1)); continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  t=$(get total); p=$(get passed); f=$(get failed); e=$(get error); a=$(get aborted); to=$(get timeout)
  f=$((f + e + a + to)); s=$((t - p - f))
  [ "$s" -lt 0 ] && s=0
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  echo "   $p passed, $f failed, $s skipped"
  if [ "$f" -gt 0 ] || { [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; }; then
    grep -E '^\s+(Failed|Error Message|  )' "$RESULTS/$name.log" | head -n 60
    if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then crashed=$((crashed + 1)); echo "   test run exited $code"; tail -n 20 "$RESULTS/$name.log"; fi
  fi
done

failed=$((failed + crashed))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
