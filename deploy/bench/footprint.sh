#!/usr/bin/env bash
# deploy/bench/footprint.sh: the agent's footprint on the reference profile (issue 14 item 5), the JIT and the native
# AOT build side by side, and the arm64 AOT build under qemu-aarch64-static (memory only: CPU time under emulation
# means nothing). For each: binary and package size, start-up to the first journal append, resident memory (VmRSS)
# after SHORT seconds and after LONG seconds, and CPU seconds per 1,000 readings over the whole run.
#
#   LONG=600 SHORT=60 deploy/bench/footprint.sh        # the issue's 60 s and 10 min; LONG=120 for a quick look
#
# The profile is firmware-config/profiles/demo-checkpoint.json (all nine simulated sources: GPS, BME280, INA219, LoRa
# with asset tags, two GPIO inputs, CPU and 1-Wire temperature, a counter) with its broker pointed at a mosquitto this
# script starts on a free loopback port, and batchMaxDelayMs 50 so that the batch timer is not counted as start-up.
# The three agents run at the same time (the run takes LONG seconds, not three times that). Targets (DESIGN §9):
# AOT RSS <= 40 MB steady state, start-up <= 0.3 s on x86-64, package <= 25 MB. Prints a Markdown table. Under qemu
# the process's RSS is mostly qemu's; the table also gives the guest's share (the mappings of the guest's memory).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source deploy/dev/lib.sh
LONG=${LONG:-600}
SHORT=${SHORT:-60}
ensure_packages mosquitto:mosquitto qemu-aarch64-static:qemu-user-static python3:python3 dpkg-deb:dpkg || exit 1
ensure_arm64_libs

OUT="$ROOT/artifacts/bench/footprint"
PACKAGES="$ROOT/artifacts/packages"
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/footprint.XXXXXX)
BROKER_PID=""
cleanup() { if [ -n "$BROKER_PID" ]; then kill "$BROKER_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

echo "Building the packages (native AOT amd64 and arm64, JIT amd64; unchanged ones are reused)..." >&2
deploy/package/build.sh --out "$PACKAGES" --package gateway-agent >&2
deploy/package/build.sh --out "$ROOT/artifacts/packages-jit" --package gateway-agent --arch amd64 --jit >&2
VERSION=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
declare -A DEB=([aot-x64]="$PACKAGES/gateway-agent_${VERSION}_amd64.deb" [aot-arm64]="$PACKAGES/gateway-agent_${VERSION}_arm64.deb"
  [jit-x64]="$ROOT/artifacts/packages-jit/gateway-agent_${VERSION}_amd64.deb")
for k in "${!DEB[@]}"; do mkdir -p "$WORK/$k" && dpkg-deb -x "${DEB[$k]}" "$WORK/$k"; done

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$PORT" > "$WORK/mosquitto.conf"
mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
BROKER_PID=$!
wait_port "$PORT" 10 mosquitto "$WORK/mosquitto.log"
python3 - "$ROOT/firmware-config/profiles/demo-checkpoint.json" "$WORK/profile.json" "$PORT" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'(?m)^\s*//.*$', '', text)  # the profile allows comments; json does not
p = json.loads(text)
p["broker"]["port"] = int(sys.argv[3])
p["pipeline"]["batchMaxDelayMs"] = 50
json.dump(p, open(sys.argv[2], "w"))
EOF

# measure.py NAME COMMAND...: start-up to first append, RSS at SHORT and LONG, CPU and readings (one JSON line).
cat > "$WORK/measure.py" <<'EOF'
import glob, json, os, re, signal, subprocess, sys, time
name, state, short, long_, cmd = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
log = open(f"{state}.log", "w")
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
def appended():
    return any(os.path.getsize(f) > 0 for f in glob.glob(f"{state}/journal/*/*.seg"))
startup = None
while time.monotonic() - t0 < 30 and p.poll() is None:
    if appended(): startup = time.monotonic() - t0; break
    time.sleep(0.001)
def rss_kb():
    for line in open(f"/proc/{p.pid}/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1])
def guest_kb():
    # Under qemu-user the process's RSS is mostly qemu's own: its [heap] (page tracking for the guest's reservations)
    # and its translation cache. qemu maps the guest's memory at guest_base + guest address, below its own [heap], so
    # the guest's share is the RSS of the mappings below that heap (checked against /proc/PID/smaps by hand).
    maps, cur = [], None
    for line in open(f"/proc/{p.pid}/smaps"):
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            parts = line.split()
            cur = {"start": int(parts[0].split("-")[0], 16), "name": parts[5] if len(parts) > 5 else "", "rss": 0}
            maps.append(cur)
        elif line.startswith("Rss:"): cur["rss"] = int(line.split()[1])
    heap = [m["start"] for m in maps if m["name"] == "[heap]"]
    return sum(m["rss"] for m in maps if m["start"] < (heap[0] if heap else 0x7f0000000000))
emulated = "qemu" in os.path.basename(cmd[0])
def cpu_s():
    fields = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
time.sleep(max(0, short - (time.monotonic() - t0)))
rss_short, guest_short = rss_kb(), guest_kb() if emulated else None
time.sleep(max(0, long_ - (time.monotonic() - t0)))
rss_long, guest_long, cpu = rss_kb(), guest_kb() if emulated else None, cpu_s()
p.send_signal(signal.SIGTERM)
p.wait(timeout=60)
log.close()
m = re.search(r"Stopped: (\d+) readings accepted", open(f"{state}.log").read())
print(json.dumps({"name": name, "startup_s": startup, "rss_short_kb": rss_short, "rss_long_kb": rss_long, "cpu_s": cpu,
                  "guest_short_kb": guest_short, "guest_long_kb": guest_long,
                  "readings": int(m.group(1)) if m else None, "exit": p.returncode}))
EOF

echo "Running the three agents for ${LONG} s (RSS at ${SHORT} s and ${LONG} s)..." >&2
RUNS=()
run() { # run NAME COMMAND...
  local name=$1; shift
  python3 "$WORK/measure.py" "$name" "$WORK/state-$name" "$SHORT" "$LONG" "$@" --profile "$WORK/profile.json" --state-dir "$WORK/state-$name" > "$WORK/$name.json" &
  RUNS+=($!)
}
run jit-x64 "$WORK/jit-x64/usr/bin/gateway-agent"
run aot-x64 "$WORK/aot-x64/usr/bin/gateway-agent"
run aot-arm64 qemu-aarch64-static "$WORK/aot-arm64/usr/bin/gateway-agent"
wait "${RUNS[@]}"  # not a bare wait: mosquitto is a background job too
cp "$WORK"/state-*.log "$OUT/" 2>/dev/null || true

python3 - "$WORK" "${DEB[jit-x64]}" "${DEB[aot-x64]}" "${DEB[aot-arm64]}" "$SHORT" "$LONG" <<'EOF' | tee "$OUT/footprint.md"
import json, os, sys
work, short, long_ = sys.argv[1], sys.argv[5], sys.argv[6]
debs = {"jit-x64": sys.argv[2], "aot-x64": sys.argv[3], "aot-arm64": sys.argv[4]}
def size(path):
    total = 0
    for d, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(d, f)) for f in files if not os.path.islink(os.path.join(d, f)))
    return total
mb = lambda b: f"{b / 1e6:.1f} MB"
print(f"| build | program on disk | .deb | start-up to first append | RSS at {short} s | RSS at {long_} s | CPU s per 1,000 readings |")
print("|---|---|---|---|---|---|---|")
for name, label in (("jit-x64", "JIT (self-contained), x86-64"), ("aot-x64", "native AOT, x86-64"), ("aot-arm64", "native AOT, arm64 under qemu")):
    r = json.load(open(f"{work}/{name}.json"))
    program = size(f"{work}/{name}/usr/lib/gateway-agent") if os.path.isdir(f"{work}/{name}/usr/lib/gateway-agent") else os.path.getsize(f"{work}/{name}/usr/bin/gateway-agent")
    startup = f"{r['startup_s']:.3f} s" if r["startup_s"] is not None else "none in 30 s"
    emulated = name.endswith("arm64")
    cpu = "(emulated)" if emulated or not r["readings"] else f"{r['cpu_s'] / (r['readings'] / 1000):.3f} ({r['readings']} readings, {r['cpu_s']:.1f} s)"
    if emulated: startup += " (emulated)"
    rss = lambda k: f"{r[f'rss_{k}_kb'] / 1024:.1f} MiB" + (f" (guest {r[f'guest_{k}_kb'] / 1024:.1f} MiB)" if r.get(f"guest_{k}_kb") else "")
    print(f"| {label} | {mb(program)} | {mb(os.path.getsize(debs[name]))} | {startup} | {rss('short')} | {rss('long')} | {cpu} |")
EOF
echo "(table saved in $OUT/footprint.md; agent logs beside it)" >&2
