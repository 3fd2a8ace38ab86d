#!/usr/bin/env bash
# Login flood against the dashboard (issue 12 item 7): the central service with the demo's account (PBKDF2, 600,000
# iterations) on loopback; CLIENTS concurrent loops post wrong passwords for SECONDS, each from its own loopback
# address (127.0.0.2, 127.0.0.3, ...: a botnet, so that no single address is delayed), with invented user names and with
# the real one. Meanwhile /healthz is timed once every 100 ms. Prints the /healthz latency without and with the flood,
# the CPU the service used, and its login counters (checked, delayed, refused as busy).
# Environment: CLIENTS (16), SECONDS_ (20); INGEST_BINARY runs another build of gateway-ingest (an older commit:
# git archive COMMIT | tar -x -C /tmp/old && dotnet build /tmp/old/src/Gateway.Ingest -c Release).
set -euo pipefail
TLS=0  # the plain broker, whatever the environment says (TLS=1 is for fleet.sh, ingest.sh and dashboard.sh)
source "$(dirname "$0")/ingest-lib.sh"
CLIENTS=${CLIENTS:-16}
DURATION=${SECONDS_:-20}

bench_build
BIN_INGEST=${INGEST_BINARY:-$BIN_INGEST}
bench_start_servers
create_db fleet
DEMO_HASH=$(grep -o 'pbkdf2-sha256[^"]*' "$ROOT/deploy/central/demo.json")
cat > "$BENCH_DIR/central.json" <<JSON
{
  "broker": { "host": "127.0.0.1", "port": $MQTT_PORT, "clientId": "flood-ingest", "shareGroup": "none" },
  "store": { "type": "influxdb1", "url": "$INFLUX_URL", "database": "fleet" },
  "stateDirectory": "$BENCH_DIR/state",
  "dashboard": { "enabled": true, "listen": "http://127.0.0.1:$HTTP_PORT", "plainHttp": true,
                 "accounts": [ { "user": "demo", "passwordHash": "$DEMO_HASH" } ] }
}
JSON
"$BIN_INGEST" --config "$BENCH_DIR/central.json" > "$BENCH_DIR/ingest.log" 2>&1 &
bench_pids+=($!)
INGEST_PID=$!
wait_port "$HTTP_PORT" 30 gateway-ingest "$BENCH_DIR/ingest.log"

probe() { # SECONDS: /healthz every 100 ms; prints "p50 p99 max" in ms
  local end=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$end" ]; do
    curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$HTTP_PORT/healthz"
    sleep 0.1
  done | sort -n | awk '{ v[NR] = $1 * 1000 } END { printf "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests)", v[int(NR * 0.5)], v[int(NR * 0.99)], v[NR], NR }'
}
echo "/healthz, quiet:       $(probe 5)"
cpu0=$(cpu_s "$INGEST_PID")
flood=()
for c in $(seq "$CLIENTS"); do
  (
    end=$((SECONDS + DURATION))
    while [ "$SECONDS" -lt "$end" ]; do
      user=$([ $((RANDOM % 2)) = 0 ] && echo demo || echo "guess$RANDOM")
      curl -s -o /dev/null --interface "127.0.0.$((c + 1))" -d "user=$user&password=wrong$RANDOM" "http://127.0.0.1:$HTTP_PORT/login" || true
    done
  ) &
  flood+=($!)
done
echo "/healthz, under flood: $(probe "$DURATION")"
wait "${flood[@]}"
LC_NUMERIC=C printf 'CPU seconds of the service during the flood: %.1f (in %d s)\n' "$(echo "$(cpu_s "$INGEST_PID") - $cpu0" | bc)" "$DURATION"
curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" | grep -E '^dashboard_log'
