# Shared by deploy/bench/ingest.sh and deploy/bench/fleet.sh (sourced): a real mosquitto and InfluxDB 1.x on loopback
# in a temporary directory, the Release binaries, and small helpers. Nothing outside $BENCH_DIR is touched.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/deploy/dev/lib.sh"

BENCH_DIR=$(mktemp -d /tmp/gateway-bench.XXXXXX)
MQTT_PORT=${MQTT_PORT:-$((20000 + RANDOM % 10000))}
INFLUX_PORT=${INFLUX_PORT:-$((30000 + RANDOM % 10000))}
HTTP_PORT=${HTTP_PORT:-$((40000 + RANDOM % 10000))}
INFLUX_URL="http://127.0.0.1:$INFLUX_PORT"
BIN_INGEST="$ROOT/src/Gateway.Ingest/bin/Release/net10.0/gateway-ingest"
BIN_CTL="$ROOT/src/Gateway.Cli/bin/Release/net10.0/gatewayctl"
bench_pids=()
# TLS=1: the broker is the production one (`gatewayctl broker config`: mutual TLS, the ACL, persistence saved every
# 60 s), the ingest connects with its own certificate and each simulated gateway with its own (issued into
# $BENCH_DIR/pki). fleet.sh, ingest.sh and dashboard.sh pass these flags to every client (both are empty without
# TLS); ingest-memory.sh and login-flood.sh measure other things on the plain broker and set TLS=0.
TLS=${TLS:-0}
BENCH_INGEST_TLS=()
BENCH_SIM_TLS=()

# Keeps the script's own exit status: under `set -e` a `wait` for a process this TERMinated (status 143) would otherwise
# end the trap, and the script, with 143 after a successful run (and leave $BENCH_DIR behind).
bench_cleanup() {
  local status=$?
  for ((i = ${#bench_pids[@]} - 1; i >= 0; i--)); do kill -TERM "${bench_pids[$i]}" 2>/dev/null || true; wait "${bench_pids[$i]}" 2>/dev/null || true; done
  rm -rf "$BENCH_DIR"
  exit "$status"
}
trap bench_cleanup EXIT

bench_build() {
  ensure_packages curl:curl mosquitto:mosquitto influxd:influxdb
  echo "Building (Release)..."
  dotnet build "$ROOT/src/Gateway.Ingest" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
  dotnet build "$ROOT/src/Gateway.Cli" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
}

bench_start_servers() {
  mkdir -p "$BENCH_DIR"/{mosquitto,influxdb}
  if [ "$TLS" = 1 ]; then bench_tls_broker; else
  # The ingest's session must hold a whole preloaded backlog (max_queued_messages 0 = no count limit) and a batch
  # needs a wide in-flight window (docs/reliability.md, "The broker", explains both; `gatewayctl broker config` writes them for production).
  cat > "$BENCH_DIR/mosquitto/mosquitto.conf" <<CONF
user root
allow_anonymous true
persistence false
max_queued_messages 0
max_inflight_messages 1000
max_connections -1
listener $MQTT_PORT 127.0.0.1
CONF
  fi
  mosquitto -c "$BENCH_DIR/mosquitto/mosquitto.conf" > "$BENCH_DIR/mosquitto.log" 2>&1 &
  bench_pids+=($!)
  write_influxdb_conf "$BENCH_DIR/influxdb/influxdb.conf" "$BENCH_DIR/influxdb" "$INFLUX_PORT" "max-body-size = 0"
  influxd -config "$BENCH_DIR/influxdb/influxdb.conf" > "$BENCH_DIR/influxd.log" 2>&1 &
  bench_pids+=($!)
  wait_port "$MQTT_PORT" 15 mosquitto "$BENCH_DIR/mosquitto.log"
  wait_port "$INFLUX_PORT" 30 influxd "$BENCH_DIR/influxd.log"
}

# The fleet CA, the ingest's certificate and the broker configuration as production has them, on loopback.
bench_tls_broker() {
  local pki="$BENCH_DIR/pki"
  "$BIN_CTL" ca init --dir "$pki/ca" > /dev/null
  "$BIN_CTL" cert issue bench-ingest --role ingest --ca "$pki/ca" --out "$pki/certs" > /dev/null
  "$BIN_CTL" broker config --ca "$pki/ca" --out "$BENCH_DIR/mosquitto" --port "$MQTT_PORT" --bind 127.0.0.1 --host localhost \
    --host 127.0.0.1 --user root --data-dir "$BENCH_DIR/mosquitto/" --autosave-seconds 60 > /dev/null
  BENCH_INGEST_TLS=(--cafile "$pki/ca/ca.crt" --cert "$pki/certs/bench-ingest.crt" --key "$pki/certs/bench-ingest.key")
  BENCH_SIM_TLS=(--cafile "$pki/ca/ca.crt" --certs "$pki/sim-certs" --ca "$pki/ca")
  echo "TLS=1: mutual TLS to the broker of gatewayctl broker config (every client its own certificate)"
}

influx_query() { # DB QUERY -> JSON
  curl -sf -G "$INFLUX_URL/query" --data-urlencode "db=$1" --data-urlencode "q=$2"
}

create_db() { curl -sf -XPOST "$INFLUX_URL/query" --data-urlencode "q=CREATE DATABASE \"$1\"" > /dev/null; }

# count_points DB MEASUREMENT FIELD: number of points of one measurement.
count_points() {
  influx_query "$1" "SELECT count(\"$3\") FROM \"$2\"" | grep -o '"values":\[\[[^]]*\]\]' | grep -o ',[0-9]*\]\]' | grep -o '[0-9]*' || echo 0
}

# metric NAME: a value from the ingest's /metrics.
metric() {
  curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" | awk -v n="$1" '$1 == n { print $2 }'
}

now_s() { date +%s.%N; }

# cpu_s PID: user + system CPU seconds the process has used (proc(5): utime and stime, fields 14 and 15, in ticks).
cpu_s() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"
}
