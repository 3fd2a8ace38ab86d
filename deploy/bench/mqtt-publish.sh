#!/usr/bin/env bash
# Publishes the same N QoS 1 messages of SIZE bytes to one local mosquitto with four clients, in the same run:
#   gatewayctl pub -l (ours), mosquitto_pub -l (libmosquitto, C), MQTT.js (npm mqtt), paho-mqtt (Python, Debian).
# Prints messages/s per client and the ratio of ours to each. Usage: deploy/bench/mqtt-publish.sh [N] [SIZE]
# A subscriber on bench/# counts the distinct messages that reached the broker from each client: a client that exits
# before its queue is acknowledged (mosquitto_pub -l 2.0.11 sends DISCONNECT at end of input with about two thirds of
# 100,000 QoS 1 lines still queued) is credited only with what it delivered. The rate is delivered messages / process time.
# Needs: mosquitto, mosquitto-clients, node+npm (MQTT.js is installed into a temp dir), python3-paho-mqtt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-100000}
SIZE=${2:-100}
WORK=$(mktemp -d)
trap 'kill "${SUB_PID:-0}" "${BROKER_PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

for cmd in mosquitto mosquitto_pub mosquitto_sub node npm; do
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
# The counting subscriber must never lose a message to a full queue (mosquitto's default is 1000 queued messages).
max_queued_messages 0
max_queued_bytes 0
CONF
mosquitto -c "$WORK/mosquitto.conf" & BROKER_PID=$!
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
mosquitto_sub -h 127.0.0.1 -p "$PORT" -q 1 -t 'bench/#' -v > "$WORK/received.txt" & SUB_PID=$!
sleep 0.5

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

run() { # name, topic, command...
  local name=$1 topic=$2; shift 2
  local start end
  start=$(date +%s.%N)
  if ! timeout "${BENCH_TIMEOUT:-180}" "$@" < "$WORK/messages.txt" > "$WORK/$name.log" 2>&1; then
    echo "$name failed or timed out after ${BENCH_TIMEOUT:-180} s (see output below)" >&2; tail -n 5 "$WORK/$name.log" >&2
    echo "$name $topic 0"; return
  fi
  end=$(date +%s.%N)
  echo "$name $topic $(echo "$end - $start" | bc -l)"
}
{
  run "gatewayctl-pub" bench/ours dotnet "$GATEWAYCTL" pub -h 127.0.0.1 -p "$PORT" -q 1 -t bench/ours -l
  run "mosquitto_pub" bench/c mosquitto_pub -h 127.0.0.1 -p "$PORT" -q 1 -t bench/c -l
  run "MQTT.js" bench/js node "$WORK/pub.js" "$WORK/js" "$WORK/messages.txt" "$PORT"
  run "paho-mqtt" bench/py "$PY" "$WORK/pub.py" "$WORK/messages.txt" "$PORT"
} > "$WORK/times.txt"

# Wait until the subscriber has drained the broker (its file stops growing).
last=-1
while true; do
  size=$(stat -c %s "$WORK/received.txt"); [ "$size" = "$last" ] && break; last=$size; sleep 1
done
while read -r name topic seconds; do
  delivered=$(grep "^$topic " "$WORK/received.txt" | sort -u | wc -l)
  echo "$name $seconds $delivered"
done < "$WORK/times.txt" > "$WORK/results.txt"

echo
echo "$N QoS 1 messages of $SIZE bytes to mosquitto $(mosquitto -h | head -n1 | awk '{print $3}') on 127.0.0.1 (process start and connect included)"
awk -v n="$N" '{ name[NR]=$1; secs[NR]=$2; got[NR]=$3; rate[NR]=($2 > 0 ? $3 / $2 : 0) }
  END {
    printf "%-16s %10s %12s %14s %12s\n", "client", "seconds", "delivered", "delivered/s", "ours / this";
    for (i = 1; i <= NR; i++)
      if (rate[i] > 0) printf "%-16s %10.2f %12d %14.0f %12.2f\n", name[i], secs[i], got[i], rate[i], rate[1] / rate[i];
      else printf "%-16s %10s %12d %14s %12s\n", name[i], "failed", got[i], "-", "-";
    for (i = 1; i <= NR; i++) if (got[i] < n) printf "note: %s delivered %d of %d messages\n", name[i], got[i], n;
  }' "$WORK/results.txt"
