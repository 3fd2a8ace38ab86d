#!/usr/bin/env bash
# Ingest benchmark (issue 7, DESIGN §9 "ingest into InfluxDB: at least 90% of the store's own bulk-write rate"):
# the same lines are written once directly to InfluxDB in bulk (gzip, 5,000-line requests, 2 in parallel on kept-alive
# connections, bodies read and compressed beforehand: the store's own rate) and once through
# MQTT -> gateway-ingest -> InfluxDB, in the same run on the same influxd, and the ratio of the two rates is printed.
#
# The MQTT path is measured from a backlog: the lines are published while a warmed-up ingest is paused (its persistent
# session holds them, as after an outage), then it resumes and the clock runs until the store has every line. So the
# figure is the ingest's own steady throughput, not the publishers' nor .NET's start-up.
#
# influxd's own speed varies by a fifth from run to run (background compactions), so the script runs ROUNDS fresh
# rounds (new servers each time) and prints every ratio and their median.
#
# Environment: ROUNDS (3), GATEWAYS (200), MESSAGES per gateway (100), RATE = counter lines per message (50),
#   TLS (0; 1: every client over mutual TLS to the broker of `gatewayctl broker config`, as in production).
set -euo pipefail
ROUNDS=${ROUNDS:-3}
if [ -z "${INGEST_BENCH_ROUND:-}" ]; then
  ratios=()
  for round in $(seq "$ROUNDS"); do
    echo "== round $round of $ROUNDS"
    out=$(INGEST_BENCH_ROUND=$round "$0" 2>&1) || { echo "$out"; exit 1; }
    echo "$out" | grep -vE '^ *(0 (Warning|Error)\(s\)|Time Elapsed|Build succeeded|$)'
    ratios+=("$(echo "$out" | sed -n 's/^ratio ingest\/direct: \([0-9.]*\).*/\1/p')")
  done
  echo
  echo "ratios: ${ratios[*]}; median $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }') (target >= 0.90)"
  exit 0
fi
source "$(dirname "$0")/ingest-lib.sh"
GATEWAYS=${GATEWAYS:-200}
MESSAGES=${MESSAGES:-100}
RATE=${RATE:-50}

bench_build
bench_start_servers
create_db bench_direct
create_db bench_direct_after
create_db bench_ingest

# 1. Start the ingest and warm it up (JIT, connections, the store's shard) on other gateways' data; then freeze it
#    (SIGSTOP): its session stays, the broker queues for it, as for an ingest that cannot keep up or was paused.
"$BIN_INGEST" --broker "127.0.0.1:$MQTT_PORT" "${BENCH_INGEST_TLS[@]}" --influx "$INFLUX_URL" --database bench_ingest --client-id bench-ingest \
  --http "http://127.0.0.1:$HTTP_PORT" --state-dir "$BENCH_DIR/state" > "$BENCH_DIR/ingest.log" 2>&1 &
bench_pids+=($!)
INGEST_PID=$!
INFLUXD_PID=${bench_pids[1]}
MOSQUITTO_PID=${bench_pids[0]}
for _ in $(seq 200); do grep -q "Connected to" "$BENCH_DIR/ingest.log" && break; sleep 0.1; done
warm=$("$BIN_CTL" simulate fleet -h 127.0.0.1 -p "$MQTT_PORT" "${BENCH_SIM_TLS[@]}" --gateways 20 --rate "$RATE" --tags 2 --burst 200 --prefix warm | tail -n 1 | grep -o 'lines=[0-9]*' | cut -d= -f2)
until [ "$(metric ingest_points_written_total || echo 0)" -ge "$warm" ]; do sleep 0.1; done
W0=$(metric ingest_points_written_total)
echo "Ingest warmed up with $warm lines; pausing it (SIGSTOP) while the backlog is published."
kill -STOP "$INGEST_PID"

# 2. Publish the backlog (and keep a copy of every line for the direct write).
echo "Publishing $GATEWAYS gateways x $MESSAGES messages (about $RATE lines each) into the ingest's session..."
"$BIN_CTL" simulate fleet -h 127.0.0.1 -p "$MQTT_PORT" "${BENCH_SIM_TLS[@]}" --gateways "$GATEWAYS" --rate "$RATE" --tags 2 --burst "$MESSAGES" \
  --prefix bench --dump "$BENCH_DIR/lines.lp" | tail -n 1
LINES=$(wc -l < "$BENCH_DIR/lines.lp")
BYTES=$(wc -c < "$BENCH_DIR/lines.lp")
echo "Lines: $LINES ($((BYTES / 1024 / 1024)) MiB)"

# 3. Direct bulk write of the same lines: 5,000-line gzip requests, 2 at a time (the ingest's defaults), compressed
#    beforehand (the direct writer's CPU is not counted; the ingest's gzip is).
mkdir -p "$BENCH_DIR/chunks"
split -l 5000 -a 5 "$BENCH_DIR/lines.lp" "$BENCH_DIR/chunks/c"
gzip -1 "$BENCH_DIR"/chunks/c*
# Two writers on kept-alive connections (one curl process per request would count process start-ups against the store).
# direct_write DB: sets $direct (seconds) and $cpu_direct (influxd CPU seconds).
direct_write() {
  local c0 t0 t1
  c0=$(cpu_s "$INFLUXD_PID")
  t0=$(now_s)
  python3 - "$INFLUX_PORT" "$1" "$BENCH_DIR"/chunks/c*.gz <<'PYEOF'
import http.client, sys, threading
port, db, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
bodies = [open(f, "rb").read() for f in files]
failed = []
def writer(part):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for body in part:
        conn.request("POST", f"/write?db={db}&precision=ms", body,
                     {"Content-Encoding": "gzip", "Content-Type": "text/plain; charset=utf-8"})
        r = conn.getresponse(); r.read()
        if r.status != 204: failed.append(r.status)
threads = [threading.Thread(target=writer, args=(bodies[i::2],)) for i in range(2)]
for t in threads: t.start()
for t in threads: t.join()
sys.exit(1 if failed else 0)
PYEOF
  t1=$(now_s)
  direct=$(echo "$t1 - $t0" | bc -l)
  cpu_direct=$(echo "$(cpu_s "$INFLUXD_PID") - $c0" | bc -l)
}
# The store is measured before and after the ingest: the first run's data makes influxd snapshot and compact its cache
# in the background, which would otherwise slow down only whatever runs second.
direct_write bench_direct
direct_before=$direct

# 4. The ingest resumes (SIGCONT) and drains the backlog: the clock runs until the store has every line. The end is
#    the ingest's own "last store write" time (wall clock, like date), so the poll can be slow and cost the run nothing.
c0=$(cpu_s "$INFLUXD_PID"); i0=$(cpu_s "$INGEST_PID"); m0=$(cpu_s "$MOSQUITTO_PID")
t0=$(now_s)
kill -CONT "$INGEST_PID"
while true; do
  sleep 0.5
  written=$(metric ingest_points_written_total 2>/dev/null || echo 0)
  [ "${written:-0}" -ge $((W0 + LINES)) ] && break
  if ! kill -0 "$INGEST_PID" 2>/dev/null; then echo "The ingest exited; log:"; tail "$BENCH_DIR/ingest.log"; exit 1; fi
done
t1=$(metric ingest_last_store_write_timestamp_seconds)
ingest=$(echo "$t1 - $t0" | bc -l)
# CPU over the drain, less what the processes used while idle in the poll's last half second is small enough to ignore.
cpu_store=$(echo "$(cpu_s "$INFLUXD_PID") - $c0" | bc -l)
cpu_ingest=$(echo "$(cpu_s "$INGEST_PID") - $i0" | bc -l)
cpu_broker=$(echo "$(cpu_s "$MOSQUITTO_PID") - $m0" | bc -l)

direct_write bench_direct_after
direct_after=$direct
direct=$(echo "($direct_before + $direct_after) / 2" | bc -l)

stored_direct=$(count_points bench_direct counter seq)
stored_ingest=$(influx_query bench_ingest "SELECT count(seq) FROM counter WHERE gateway =~ /^bench-/" | grep -o ',[0-9]*\]\]' | grep -o '[0-9]*')
[ "$stored_direct" = "$stored_ingest" ] || { echo "Stores differ: direct has $stored_direct counter points, ingest $stored_ingest" >&2; exit 1; }
LC_NUMERIC=C printf 'direct bulk write : %8d lines in %6.2f s = %9.0f lines/s (mean of %.2f s before and %.2f s after the ingest)\n' "$LINES" "$direct" "$(echo "$LINES / $direct" | bc -l)" "$direct_before" "$direct_after"
LC_NUMERIC=C printf 'MQTT->ingest->db  : %8d lines in %6.2f s = %9.0f lines/s\n' "$LINES" "$ingest" "$(echo "$LINES / $ingest" | bc -l)"
LC_NUMERIC=C printf 'ratio ingest/direct: %.2f (target >= 0.90)\n' "$(echo "$direct / $ingest" | bc -l)"
LC_NUMERIC=C printf 'CPU seconds        : influxd %.1f (direct) vs %.1f (via ingest); gateway-ingest %.1f (%.2f us/line); mosquitto %.1f\n' "$cpu_direct" "$cpu_store" "$cpu_ingest" "$(echo "$cpu_ingest * 1000000 / $LINES" | bc -l)" "$cpu_broker"
echo "ingest: $(curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" | grep -E '^ingest_(batches|store_writes|store_retries|rejected)' | tr '\n' ' ')"
