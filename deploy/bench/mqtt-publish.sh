#!/usr/bin/env bash
# Publishes the same N QoS 1 messages of SIZE bytes to one local mosquitto with four clients, in the same run:
#   gatewayctl pub -l (ours), mosquitto_pub -l (libmosquitto, C), MQTT.js (npm mqtt), paho-mqtt (Python, Debian).
# Prints messages/s per client and the ratio of ours to each. Usage: deploy/bench/mqtt-publish.sh [N] [SIZE]
# Needs: mosquitto, mosquitto-clients, node+npm (MQTT.js is installed into a temp dir), python3-paho-mqtt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-100000}
SIZE=${2:-100}
WORK=$(mktemp -d)
trap 'kill "${BROKER_PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

for cmd in mosquitto mosquitto_pub node npm; do
  command -v "$cmd" >/dev/null || { echo "$cmd is missing (apt-get install mosquitto mosquitto-clients nodejs npm)" >&2; exit 1; }
done
PY=/usr/bin/python3
"$PY" -c 'import paho.mqtt.client' 2>/dev/null || { echo "paho-mqtt missing: apt-get install python3-paho-mqtt" >&2; exit 1; }

echo "Building gatewayctl (Release)..." >&2
dotnet build "$ROOT/src/Gateway.Cli" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
GATEWAYCTL=$(find "$ROOT/src/Gateway.Cli/bin/Release" -name gatewayctl.dll | head -n 1)

echo "Installing MQTT.js into $WORK/js..." >&2
mkdir -p "$WORK/js" && (cd "$WORK/js" && npm install --silent --no-audit --no-fund mqtt >/dev/null 2>&1)

# The same messages for everyone: N lines of SIZE printable bytes, each unique (sequence number first).
"$PY" - "$N" "$SIZE" > "$WORK/messages.txt" <<'PYEOF'
import sys
n, size = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
for i in range(n):
    out.write(f"{i:010d}".ljust(size, "x")[:size] + "\n")
PYEOF

PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/mosquitto.conf" <<CONF
user root
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
log_dest none
CONF
mosquitto -c "$WORK/mosquitto.conf" & BROKER_PID=$!
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done

cat > "$WORK/pub.js" <<'JSEOF'
// MQTT.js allocates a message id per queued publish and stalls past 65,535 queued ones, so it gets a window of
// 1,000 outstanding publishes (more than the broker's 20 in flight; MQTT.js ignores Receive Maximum itself).
const mqtt = require(process.argv[2] + '/node_modules/mqtt');
const lines = require('fs').readFileSync(process.argv[3], 'utf8').split('\n').filter(l => l.length > 0);
const client = mqtt.connect({ host: '127.0.0.1', port: +process.argv[4], clientId: 'bench-js', protocolVersion: 4 });
client.on('connect', () => {
  let sent = 0, acked = 0;
  const pump = () => { while (sent < lines.length && sent - acked < 1000) client.publish('bench/js', lines[sent++], { qos: 1 }, done); };
  const done = () => { if (++acked === lines.length) client.end(); else pump(); };
  pump();
});
JSEOF
cat > "$WORK/pub.py" <<'PYEOF'
# paho keys in-flight messages by a 16-bit mid that wraps, so more than 65,535 queued publishes overwrite each other:
# like MQTT.js it gets a window of 1,000 outstanding publishes (its own in-flight limit is the broker's 20).
import sys, threading
import paho.mqtt.client as mqtt
lines = [l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]
window = threading.Semaphore(1000); done = threading.Event(); acked = [0]
def on_publish(c, u, mid):
    acked[0] += 1; window.release()
    if acked[0] == len(lines): done.set()
c = mqtt.Client(client_id="bench-py", protocol=mqtt.MQTTv311)
c.max_inflight_messages_set(20); c.max_queued_messages_set(0)
c.on_publish = on_publish
c.connect("127.0.0.1", int(sys.argv[2])); c.loop_start()
for l in lines:
    window.acquire(); c.publish("bench/py", l, qos=1)
done.wait(); c.disconnect(); c.loop_stop()
PYEOF

run() { # name, command...
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  if ! timeout "${BENCH_TIMEOUT:-180}" "$@" < "$WORK/messages.txt" > "$WORK/$name.log" 2>&1; then
    echo "$name failed or timed out after ${BENCH_TIMEOUT:-180} s (see output below)" >&2; tail -n 5 "$WORK/$name.log" >&2
    echo "$name 0"; return
  fi
  end=$(date +%s.%N)
  echo "$name $(echo "$N / ($end - $start)" | bc -l)"
}
{
  run "gatewayctl-pub" dotnet "$GATEWAYCTL" pub -h 127.0.0.1 -p "$PORT" -q 1 -t bench/ours -l
  run "mosquitto_pub" mosquitto_pub -h 127.0.0.1 -p "$PORT" -q 1 -t bench/c -l
  run "MQTT.js" node "$WORK/pub.js" "$WORK/js" "$WORK/messages.txt" "$PORT"
  run "paho-mqtt" "$PY" "$WORK/pub.py" "$WORK/messages.txt" "$PORT"
} > "$WORK/results.txt"

echo
echo "$N QoS 1 messages of $SIZE bytes to mosquitto $(mosquitto -h | head -n1 | awk '{print $3}') on 127.0.0.1 (process start and connect included)"
awk 'NR==1 { ours=$2 } { rate[NR]=$2; name[NR]=$1 }
  END {
    printf "%-16s %14s %14s\n", "client", "messages/s", "ours / this";
    for (i = 1; i <= NR; i++) if (rate[i] > 0) printf "%-16s %14.0f %14.2f\n", name[i], rate[i], ours / rate[i]; else printf "%-16s %14s %14s\n", name[i], "failed", "-";
  }' "$WORK/results.txt"
