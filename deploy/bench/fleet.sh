#!/usr/bin/env bash
# Fleet benchmark (issue 7): GATEWAYS simulated gateways (default 1,000, each a real MQTT client with its own id) publish
# in real time for DURATION seconds to mosquitto; one gateway-ingest writes everything into InfluxDB 1.x, all on this
# machine. Prints the sustained rate, how long the ingest needed after the last publish to have everything stored, the
# CPU each process used, and checks end to end that no counter reading is missing (count = max(seq) per gateway).
#
# Environment: GATEWAYS (1000), RATE counter readings/s per gateway (10), TAGS per gateway (2), DURATION s (60),
#   TLS (0; 1: every client over mutual TLS to the broker of `gatewayctl broker config`, as in production).
set -euo pipefail
source "$(dirname "$0")/ingest-lib.sh"
GATEWAYS=${GATEWAYS:-1000}
RATE=${RATE:-10}
TAGS=${TAGS:-2}
DURATION=${DURATION:-60}

# One socket per simulated gateway plus the broker's side of each: raise the open-file limit for this shell's children.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge $((GATEWAYS * 2 + 256)) ] || { echo "ulimit -n is $(ulimit -n); $GATEWAYS gateways need about $((GATEWAYS * 2 + 256)) (raise it and retry)" >&2; exit 1; }

bench_build
bench_start_servers
create_db fleet
MOSQUITTO_PID=${bench_pids[0]}
INFLUXD_PID=${bench_pids[1]}

"$BIN_INGEST" --broker "127.0.0.1:$MQTT_PORT" "${BENCH_INGEST_TLS[@]}" --influx "$INFLUX_URL" --database fleet --client-id fleet-ingest \
  --http "http://127.0.0.1:$HTTP_PORT" --state-dir "$BENCH_DIR/state" > "$BENCH_DIR/ingest.log" 2>&1 &
bench_pids+=($!)
INGEST_PID=$!
for _ in $(seq 200); do grep -q "Connected to" "$BENCH_DIR/ingest.log" && break; sleep 0.1; done

echo "Running $GATEWAYS gateways x $RATE readings/s (+ sensors and $TAGS tags each) for $DURATION s..."
c_m=$(cpu_s "$MOSQUITTO_PID"); c_i=$(cpu_s "$INFLUXD_PID"); c_g=$(cpu_s "$INGEST_PID")
"$BIN_CTL" simulate fleet -h 127.0.0.1 -p "$MQTT_PORT" "${BENCH_SIM_TLS[@]}" --gateways "$GATEWAYS" --rate "$RATE" --tags "$TAGS" \
  --duration "$DURATION" --prefix fleet --connect-timeout 120 > "$BENCH_DIR/sim.log" 2>&1 || { cat "$BENCH_DIR/sim.log"; exit 1; }
tail -n 1 "$BENCH_DIR/sim.log"
t_end=$(now_s)
lines=$(tail -n 1 "$BENCH_DIR/sim.log" | grep -o 'lines=[0-9]*' | cut -d= -f2)
seconds=$(tail -n 1 "$BENCH_DIR/sim.log" | grep -o 'seconds=[0-9.]*' | cut -d= -f2)
messages=$(tail -n 1 "$BENCH_DIR/sim.log" | grep -o 'messages=[0-9]*' | head -n 1 | cut -d= -f2)

until [ "$(metric ingest_points_written_total || echo 0)" -ge "$lines" ]; do
  if [ "$(echo "$(now_s) - $t_end > 300" | bc)" = 1 ]; then echo "Not everything stored 300 s after the last publish: $(metric ingest_points_written_total) of $lines" >&2; exit 1; fi
  sleep 0.2
done
drain=$(echo "$(now_s) - $t_end" | bc -l)
cpu_m=$(echo "$(cpu_s "$MOSQUITTO_PID") - $c_m" | bc -l); cpu_i=$(echo "$(cpu_s "$INFLUXD_PID") - $c_i" | bc -l); cpu_g=$(echo "$(cpu_s "$INGEST_PID") - $c_g" | bc -l)

# End to end: per gateway, the counter's count equals its highest seq (nothing lost, nothing doubled).
check=$(influx_query fleet 'SELECT count(seq), max(seq) FROM counter GROUP BY gateway' | python3 -c '
import json, sys
series = json.load(sys.stdin)["results"][0].get("series", [])
bad = [s["tags"]["gateway"] for s in series if s["values"][0][1] != s["values"][0][2]]
print(len(series), len(bad), sum(s["values"][0][1] for s in series))')
read -r n_series n_bad n_counter <<< "$check"

LC_NUMERIC=C printf 'gateways           : %d connected, %d with counter data in InfluxDB, %d with a gap or duplicate\n' "$GATEWAYS" "$n_series" "$n_bad"
LC_NUMERIC=C printf 'published          : %d lines in %.1f s = %.0f lines/s (%.0f messages/s)\n' "$lines" "$seconds" "$(echo "$lines / $seconds" | bc -l)" "$(echo "$messages / $seconds" | bc -l)"
LC_NUMERIC=C printf 'stored             : %d points written by the ingest (telemetry + one boot event per gateway); %d counter readings in InfluxDB\n' "$(metric ingest_points_written_total)" "$n_counter"
LC_NUMERIC=C printf 'drain after publish: %.2f s until the last line was in the store\n' "$drain"
LC_NUMERIC=C printf 'CPU seconds        : mosquitto %.1f, influxd %.1f, gateway-ingest %.1f (%.2f us/line)\n' "$cpu_m" "$cpu_i" "$cpu_g" "$(echo "$cpu_g * 1000000 / $lines" | bc -l)"
echo "ingest: $(curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" | grep -E '^ingest_(batches|store_writes|store_retries|rejected|malformed)' | tr '\n' ' ')"
[ "$n_series" -eq "$GATEWAYS" ] && [ "$n_bad" -eq 0 ]
