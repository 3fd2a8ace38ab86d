#!/usr/bin/env bash
# Dashboard benchmark (issue 15): GATEWAYS simulated gateways (default 1,000) with TAGS tags each (default 10: 10,000
# tags) publish in real time to mosquitto; one gateway-ingest stores everything in InfluxDB 1.x and serves the dashboard,
# all on this machine. Measured in Debian's chromium (headless, through the Playwright probe in tests/Gateway.Benchmarks):
# the first page load (login to the fleet drawn on the map and in the lists) and the live page's redraws per second
# while the fleet reports; and the ingest's CPU over WINDOW seconds without a dashboard open, then over WINDOW seconds
# with it open. Targets: first meaningful paint <= 2 s, <= 4 DOM updates/s, ingest CPU with the page within 10 % of
# without.
#
# Environment: GATEWAYS (1000), TAGS per gateway (10), SENSORS_MS tag and sensor period per gateway (5000),
#   INTERVAL_MS message period per gateway (1000), WINDOW s (30), TLS (0; 1: every client over mutual TLS to the
#   broker of `gatewayctl broker config`, as in production).
set -euo pipefail
source "$(dirname "$0")/ingest-lib.sh"
GATEWAYS=${GATEWAYS:-1000}
TAGS=${TAGS:-10}
SENSORS_MS=${SENSORS_MS:-5000}
INTERVAL_MS=${INTERVAL_MS:-1000}
WINDOW=${WINDOW:-30}
PASSWORD=bench-password-1

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge $((GATEWAYS * 2 + 256)) ] || { echo "ulimit -n is $(ulimit -n); $GATEWAYS gateways need about $((GATEWAYS * 2 + 256)) (raise it and retry)" >&2; exit 1; }
ensure_packages chromium:chromium node:nodejs npm:npm
bench_build
dotnet build "$ROOT/tests/Gateway.Benchmarks" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
PROBE="$ROOT/tests/Gateway.Benchmarks/bin/Release/net10.0/Gateway.Benchmarks"
bench_start_servers
create_db fleet

hash=$("$BIN_INGEST" hash-password --iterations 10000 <<< "$PASSWORD")
cat > "$BENCH_DIR/central.json" <<JSON
{
  "broker": { "port": $MQTT_PORT, "clientId": "bench-ingest", "shareGroup": "none" },
  "store": { "url": "$INFLUX_URL", "database": "fleet" },
  "stateDirectory": "$BENCH_DIR/state",
  "dashboard": { "enabled": true, "listen": "http://127.0.0.1:$HTTP_PORT", "plainHttp": true,
    "accounts": [ { "user": "bench", "role": "viewer", "passwordHash": "$hash" } ] },
  "alerts": { "enabled": true }
}
JSON
"$BIN_INGEST" --config "$BENCH_DIR/central.json" "${BENCH_INGEST_TLS[@]}" > "$BENCH_DIR/ingest.log" 2>&1 &
bench_pids+=($!)
INGEST_PID=$!
wait_port "$HTTP_PORT" 30 gateway-ingest "$BENCH_DIR/ingest.log"

duration=$((WINDOW * 2 + 240))
echo "Starting $GATEWAYS gateways x $TAGS tags (messages every $INTERVAL_MS ms, tags and sensors every $SENSORS_MS ms)..."
"$BIN_CTL" simulate fleet -h 127.0.0.1 -p "$MQTT_PORT" "${BENCH_SIM_TLS[@]}" --gateways "$GATEWAYS" --rate 1 --tags "$TAGS" --interval-ms "$INTERVAL_MS" \
  --sensor-interval-ms "$SENSORS_MS" --duration "$duration" --prefix bench --connect-timeout 120 > "$BENCH_DIR/sim.log" 2>&1 &
bench_pids+=($!)
want=$((GATEWAYS * TAGS))
for _ in $(seq 600); do [ "$(metric fleet_assets || echo 0)" -ge "$want" ] && break; sleep 0.5; done
[ "$(metric fleet_assets || echo 0)" -ge "$want" ] || { echo "Only $(metric fleet_assets) of $want tags reached the ingest in 300 s" >&2; tail -n 5 "$BENCH_DIR/sim.log" >&2; exit 1; }
echo "All $want tags known to the ingest; $WINDOW s without a dashboard..."
sleep 5
c0=$(cpu_s "$INGEST_PID"); load_without=$(cut -d' ' -f1 /proc/loadavg); sleep "$WINDOW"; c1=$(cpu_s "$INGEST_PID")
without=$(echo "$c1 - $c0" | bc -l)

echo "Opening the dashboard in chromium; $WINDOW s with it open..."
"$PROBE" dashboard "http://127.0.0.1:$HTTP_PORT/" bench "$PASSWORD" "$WINDOW" > "$BENCH_DIR/probe.log" 2>&1 &
probe=$!
for _ in $(seq 600); do grep -q '^live$' "$BENCH_DIR/probe.log" && break; kill -0 "$probe" 2>/dev/null || break; sleep 0.2; done
grep -q '^live$' "$BENCH_DIR/probe.log" || { echo "The dashboard never went live:" >&2; cat "$BENCH_DIR/probe.log" >&2; exit 1; }
c2=$(cpu_s "$INGEST_PID")
load_with=$(cut -d' ' -f1 /proc/loadavg)
wait "$probe" || { cat "$BENCH_DIR/probe.log" >&2; exit 1; }
c3=$(cpu_s "$INGEST_PID")
with=$(echo "$c3 - $c2" | bc -l)
result=$(tail -n 1 "$BENCH_DIR/probe.log")
get() { echo "$result" | grep -o "$1=[0-9.-]*" | cut -d= -f2; }

LC_NUMERIC=C printf 'fleet              : %d gateways, %d tags (%s assets, %s gateways in the page)\n' "$GATEWAYS" "$want" "$(get assets)" "$(get gateways)"
LC_NUMERIC=C printf 'first page load    : fleet drawn (first meaningful paint) %s ms, first contentful paint %s ms, %s list rows\n' "$(get first_meaningful_paint_ms)" "$(get first_contentful_paint_ms)" "$(get rows)"
LC_NUMERIC=C printf 'live page          : %s DOM updates/s (batched) for %s live events/s over %s s; %s console errors\n' "$(get dom_updates_per_s)" "$(get live_events_per_s)" "$(get window_s)" "$(get console_errors)"
LC_NUMERIC=C printf 'ingest CPU         : %.1f s without the page, %.1f s with it over %d s each (%+.1f %%)\n' "$without" "$with" "$WINDOW" "$(echo "($with - $without) * 100 / $without" | bc -l)"
echo "first load timeline: $(grep -v '^live$' "$BENCH_DIR/probe.log" | head -n 1)"
# Wall-clock figures stretch with the machine's load (the page load above all): say what it was.
echo "machine load       : $load_without at the start of the window without the page, $load_with with it, $(cut -d' ' -f1 /proc/loadavg) at the end ($(nproc) cores)"
