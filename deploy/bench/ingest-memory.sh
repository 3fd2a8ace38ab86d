#!/usr/bin/env bash
# Ingest memory under hostile input (issue 12 items 5 and 6): the central service (ingest + monitor + dashboard in one
# process, as deploy/central/demo.json runs it) against a real mosquitto without message_size_limit and InfluxDB 1.x,
# on loopback in a temporary directory. Prints its resident memory (VmRSS, and the peak VmHWM) after each step:
#   1. idle;
#   2. BIG messages of 15 MiB from one gateway (the issue: 80 of them took the ingest from 90 MB to 1.58 GB);
#   3. the store paused (influxd SIGSTOPped) and MIB messages of 1 MiB of valid lines from another gateway;
#   4. the store resumed and everything stored;
#   5. one gateway sending FLOOD distinct asset tag ids (the issue: 100,000 took it from 139 MB to 560 MB), with the
#      series count InfluxDB then holds for the measurement `tag`;
#   6. SIGTERM while the store hangs (influxd SIGSTOPped): how long the service takes to exit.
# Environment: BIG (80), MIB (200), FLOOD (100000); DEBUG=1 also prints the ingest's counters and the end of its log.
set -euo pipefail
TLS=0  # the plain broker, whatever the environment says (TLS=1 is for fleet.sh, ingest.sh and dashboard.sh)
source "$(dirname "$0")/ingest-lib.sh"
BIG=${BIG:-80}
MIB=${MIB:-200}
FLOOD=${FLOOD:-100000}

bench_build
bench_start_servers
create_db fleet
INFLUXD_PID=${bench_pids[1]}
# The demo's account (deploy/central/demo.json): the dashboard needs one; nobody logs in here.
DEMO_HASH=$(grep -o 'pbkdf2-sha256[^"]*' "$ROOT/deploy/central/demo.json")
cat > "$BENCH_DIR/central.json" <<JSON
{
  "broker": { "host": "127.0.0.1", "port": $MQTT_PORT, "clientId": "mem-ingest", "shareGroup": "none" },
  "store": { "type": "influxdb1", "url": "$INFLUX_URL", "database": "fleet" },
  "stateDirectory": "$BENCH_DIR/state",
  "dashboard": { "enabled": true, "listen": "http://127.0.0.1:$HTTP_PORT", "plainHttp": true, "accounts": [ { "user": "demo", "passwordHash": "$DEMO_HASH" } ] },
  "alerts": { "enabled": true, "assetNotSeen": { "afterSeconds": 120 } }
}
JSON
"$BIN_INGEST" --config "$BENCH_DIR/central.json" > "$BENCH_DIR/ingest.log" 2>&1 &
bench_pids+=($!)
INGEST_PID=$!
wait_port "$HTTP_PORT" 30 gateway-ingest "$BENCH_DIR/ingest.log"
for _ in $(seq 200); do grep -q "Connected to" "$BENCH_DIR/ingest.log" && break; sleep 0.1; done

mem() { # STEP: one line with the ingest's VmRSS and VmHWM in MB (proc(5))
  awk -v step="$1" '/^VmRSS/ { rss = $2 } /^VmHWM/ { hwm = $2 } END { printf "%-44s RSS %5.0f MB, peak %5.0f MB\n", step, rss / 1024, hwm / 1024 }' "/proc/$INGEST_PID/status"
}
wait_metric() { # NAME VALUE SECONDS: waits until /metrics shows NAME >= VALUE
  local deadline=$((SECONDS + $3))
  until [ "$(metric "$1" | cut -d. -f1)" -ge "$2" ] 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "$1 did not reach $2 in $3 s (now $(metric "$1"))" >&2; return 1; }
    sleep 0.5
  done
}
sleep 3
mem "1. idle"

head -c $((15 * 1024 * 1024)) /dev/zero | tr '\0' 'x' > "$BENCH_DIR/big.txt"
for i in $(seq "$BIG"); do mosquitto_pub -p "$MQTT_PORT" -q 1 -t fleet/mem-big/telemetry -f "$BENCH_DIR/big.txt"; done
wait_metric ingest_oversized_messages_total "$BIG" 120
mem "2. after $BIG messages of 15 MiB"

now_ms=$(($(date +%s) * 1000))
awk -v ts="$now_ms" 'BEGIN { n = 0; i = 0; while (n < 1048576 - 64) { i++; line = sprintf("counter,sensor=seq seq=%di %.0f\n", i, ts - 600000 + i); printf "%s", line; n += length(line) } }' > "$BENCH_DIR/mib.txt"
lines=$(wc -l < "$BENCH_DIR/mib.txt")
kill -STOP "$INFLUXD_PID"
for i in $(seq "$MIB"); do mosquitto_pub -p "$MQTT_PORT" -q 1 -t fleet/mem-mib/telemetry -f "$BENCH_DIR/mib.txt"; done
sleep 10
mem "3. store paused, $MIB messages of 1 MiB sent"
echo "   the ingest has received $(metric ingest_messages_total) messages, acknowledged $(metric ingest_messages_acknowledged_total); connections to the broker so far: $(grep -c "Connected to" "$BENCH_DIR/ingest.log")"
kill -CONT "$INFLUXD_PID"
wait_metric ingest_messages_acknowledged_total $((BIG + MIB)) 600
mem "4. store resumed, all acknowledged"

awk -v ts="$now_ms" -v n="$FLOOD" 'BEGIN { for (i = 1; i <= n; i++) { printf "tag,sensor=lora,tag=f%07d lat=8.5,lon=-13.2,rssi=-70i %.0f\n", i, ts + i % 1000; if (i % 1000 == 0) printf "\n" } }' |
  awk 'BEGIN { RS = ""; ORS = "" } { f = sprintf("%s/flood-%05d.txt", dir, NR); print $0 "\n" > f; close(f) }' dir="$BENCH_DIR"
files=0
for f in "$BENCH_DIR"/flood-*.txt; do mosquitto_pub -p "$MQTT_PORT" -q 1 -t fleet/mem-flood/telemetry -f "$f"; files=$((files + 1)); done
wait_metric ingest_messages_acknowledged_total $((BIG + MIB + files)) 600
mem "5. after $FLOOD distinct tag ids from one gateway"
[ -n "${DEBUG:-}" ] && { curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" | grep -E "^ingest_(messages|points|refused|malformed|outside)"; tail -5 "$BENCH_DIR/ingest.log"; influx_query fleet "SHOW SERIES EXACT CARDINALITY FROM \"tag\""; ls "$BENCH_DIR" | head; }
series=$(influx_query fleet 'SHOW SERIES EXACT CARDINALITY FROM "tag"' | grep -o '"values":\[\[[0-9]*' | grep -o '[0-9]*$' || echo "?")
echo "   InfluxDB series of measurement tag: $series; refused by the ingest: $(curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" | awk '/^ingest_refused_asset_tags_total/ { print $2 }') points"

# 6. SIGTERM while the store hangs (issue 12 item 14: the ingest once ignored it for over 10 s while holding large
#    messages): influxd SIGSTOPped, messages in flight, then how long the ingest takes to exit.
kill -STOP "$INFLUXD_PID"
for i in $(seq 20); do mosquitto_pub -p "$MQTT_PORT" -q 1 -t fleet/mem-mib/telemetry -f "$BENCH_DIR/mib.txt"; done
sleep 5
t0=$(now_s)
kill -TERM "$INGEST_PID"
status=0
wait "$INGEST_PID" || status=$?
LC_NUMERIC=C printf '6. SIGTERM with the store hanging: exited %d after %.1f s\n' "$status" "$(echo "$(now_s) - $t0" | bc)"
kill -CONT "$INFLUXD_PID"
