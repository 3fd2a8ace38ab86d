#!/usr/bin/env bash
# The README's first command: the whole path on one machine. Installs and starts a real mosquitto and InfluxDB 1.x on
# loopback (data under the state directory), builds and starts the central service (ingest, alerts, dashboard), one
# simulated checkpoint gateway and a small simulated fleet with asset tags, and says where everything is. Ctrl-C stops
# everything it started; running it again reuses the state.
#
# Environment (defaults): MQTT_PORT (1883), INFLUX_PORT (8086), INFLUX_DB (fleet), DASHBOARD_PORT (8080),
#   SIM_GATEWAYS (3), GATEWAY_PROFILE (firmware-config/profiles/demo-checkpoint.json), DEMO_STATE (.state/demo)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source deploy/dev/lib.sh

MQTT_PORT=${MQTT_PORT:-1883}
INFLUX_PORT=${INFLUX_PORT:-8086}
INFLUX_DB=${INFLUX_DB:-fleet}
DASHBOARD_PORT=${DASHBOARD_PORT:-8080}
SIM_GATEWAYS=${SIM_GATEWAYS:-3}
PROFILE=${GATEWAY_PROFILE:-firmware-config/profiles/demo-checkpoint.json}
STATE=${DEMO_STATE:-$ROOT/.state/demo}
INFLUX_URL="http://127.0.0.1:$INFLUX_PORT"
started_at=$(date +%s)

ensure_packages curl:curl mosquitto:mosquitto mosquitto_sub:mosquitto-clients influxd:influxdb influx:influxdb-client node:nodejs npm:npm

for p in "$MQTT_PORT" "$INFLUX_PORT" "$DASHBOARD_PORT"; do
  if port_in_use "$p"; then
    echo "Port $p on 127.0.0.1 is already in use (another demo, or a system mosquitto/influxdb service?)." >&2
    echo "Stop it, or pick other ports: MQTT_PORT=11883 INFLUX_PORT=18086 DASHBOARD_PORT=18080 $0" >&2
    exit 1
  fi
done

mkdir -p "$STATE"/{mosquitto,influxdb,logs,agent,central}
pids=()
# Every child runs in its own session (setsid): Ctrl-C in a terminal signals the whole foreground process group, which
# would stop the broker and the store at the same moment as the gateway, before it could deliver and say goodbye.
# Only this script's trap stops them, in order.
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the demo..."
  # Gateway and ingest first (they deliver what they hold and say goodbye to the broker), then the servers.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done
  echo "Stopped. Data stays in $STATE; run $0 again to continue."
}
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

echo "Building..."
dotnet build Gateway.sln -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
BIN_AGENT="$ROOT/src/Gateway.Agent/bin/Release/net10.0/gateway-agent"
BIN_INGEST="$ROOT/src/Gateway.Ingest/bin/Release/net10.0/gateway-ingest"
BIN_CTL="$ROOT/src/Gateway.Cli/bin/Release/net10.0/gatewayctl"

cat > "$STATE/mosquitto/mosquitto.conf" <<CONF
# Written by deploy/dev/demo.sh. 'user root' stops mosquitto (started as root) from dropping to the mosquitto user,
# which could not write this directory; a production broker uses deploy/ templates with TLS instead.
user root
allow_anonymous true
persistence true
persistence_location $STATE/mosquitto/
log_dest file $STATE/logs/mosquitto.log
listener $MQTT_PORT 127.0.0.1
# The ingest acknowledges only what InfluxDB holds: let the broker queue a long outage for it, and let it gather many
# messages per store write (deploy/central/mosquitto-central.conf explains both).
max_queued_messages 0
max_inflight_messages 1000
CONF
setsid mosquitto -c "$STATE/mosquitto/mosquitto.conf" >> "$STATE/logs/mosquitto.log" 2>&1 &
pids+=($!)

write_influxdb_conf "$STATE/influxdb/influxdb.conf" "$STATE/influxdb" "$INFLUX_PORT"
setsid influxd -config "$STATE/influxdb/influxdb.conf" > "$STATE/logs/influxd.log" 2>&1 &
pids+=($!)

wait_port "$MQTT_PORT" 15 mosquitto "$STATE/logs/mosquitto.log"
wait_port "$INFLUX_PORT" 30 influxd "$STATE/logs/influxd.log"
curl -sf -XPOST "$INFLUX_URL/query" --data-urlencode "q=CREATE DATABASE \"$INFLUX_DB\"" > /dev/null

# The central service: ingest + alerts + dashboard, configured by deploy/central/demo.json (sites, geofences, assets,
# the demo account), with this script's ports and state directory.
setsid "$BIN_INGEST" --config deploy/central/demo.json --broker "127.0.0.1:$MQTT_PORT" --influx "$INFLUX_URL" --database "$INFLUX_DB" \
  --client-id demo-ingest --http "http://127.0.0.1:$DASHBOARD_PORT" --state-dir "$STATE/central" \
  > "$STATE/logs/ingest.log" 2>&1 &
pids+=($!)
setsid "$BIN_AGENT" --profile "$PROFILE" --state-dir "$STATE/agent" --broker "127.0.0.1:$MQTT_PORT" \
  > "$STATE/logs/agent.log" 2>&1 &
pids+=($!)
# A small simulated fleet with asset tags; the first tag leaves its site for a minute every 5 minutes (geofence alert).
setsid "$BIN_CTL" simulate fleet --broker "127.0.0.1:$MQTT_PORT" --gateways "$SIM_GATEWAYS" --rate 1 --tags 2 --escape-every 300 \
  > "$STATE/logs/fleet.log" 2>&1 &
pids+=($!)

cat <<INFO

Demo stack running (Ctrl-C stops it):
  broker    mqtt://127.0.0.1:$MQTT_PORT        watch it: mosquitto_sub -p $MQTT_PORT -t 'fleet/#' -v
  InfluxDB  $INFLUX_URL   database '$INFLUX_DB'
  dashboard http://127.0.0.1:$DASHBOARD_PORT   log in as: demo / demo-password
  gateway   profile $PROFILE, plus $SIM_GATEWAYS simulated gateways with asset tags (gatewayctl simulate fleet)
  alerts    on the dashboard, in InfluxDB (measurement alert), and on MQTT: mosquitto_sub -p $MQTT_PORT -t fleet/alerts
  metrics   curl http://127.0.0.1:$DASHBOARD_PORT/metrics
  logs      $STATE/logs/{agent,fleet,ingest,mosquitto,influxd}.log

Query the data (paste):
  influx -port $INFLUX_PORT -database $INFLUX_DB -precision rfc3339 -execute 'SELECT * FROM gps, env, counter ORDER BY time DESC LIMIT 5'

INFO

count_points() {
  curl -sf -G "$INFLUX_URL/query" --data-urlencode "db=$INFLUX_DB" \
    --data-urlencode 'q=SELECT count(seq) FROM counter' | grep -o '"values":\[\[[^]]*\]\]' | grep -o '[0-9]*\]\]' | grep -o '[0-9]*' || echo 0
}
first=""
while true; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A demo process ($pid) exited; see $STATE/logs/. Stopping." >&2
      exit 1
    fi
  done
  n=$(count_points)
  if [ -z "$first" ] && [ "${n:-0}" -gt 0 ]; then
    first=$(( $(date +%s) - started_at ))
    echo "First points in InfluxDB ${first}s after start."
  fi
  [ -n "$first" ] && printf '\r  counter points stored: %s   ' "$n"
  sleep 2
done
