#!/usr/bin/env bash
# The README's first command: the whole path on one machine. Installs and starts a real mosquitto and InfluxDB 1.x on
# loopback (data under the state directory), builds and starts the central service (ingest, alerts, dashboard), one
# simulated checkpoint gateway and a small simulated fleet with asset tags, and says where everything is. However the
# script ends (Ctrl-C, kill, the terminal closed, a process dying) it stops everything it started; running it again
# reuses the state.
#
#   deploy/dev/demo.sh            start (Ctrl-C stops)
#   deploy/dev/demo.sh --secure   the same stack with every connection authenticated, as in production (also SECURE=1):
#                                 a fleet CA, the broker over TLS with client certificates and the ACL (gatewayctl broker
#                                 config), the agent and the ingest with their own certificates, InfluxDB with auth and
#                                 its write-only and read-only users, the dashboard over HTTPS
#   deploy/dev/demo.sh stop       stop a demo left running (its processes are listed in DEMO_STATE/demo.pids)
#
# Environment (defaults): MQTT_PORT (1883), INFLUX_PORT (8086), INFLUX_DB (fleet), DASHBOARD_PORT (8080),
#   SIM_GATEWAYS (3), GATEWAY_PROFILE (firmware-config/profiles/demo-checkpoint.json), DEMO_STATE (.state/demo),
#   DEMO_NO_BUILD (1: use the binaries already built; the tests do)
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
PIDS_FILE="$STATE/demo.pids"
started_at=$(date +%s)

# is_ours PID EXE: PID still runs the program EXE that the demo started (a pid can be reused). A binary rebuilt while
# the demo runs (dotnet build replaces the file) shows as "EXE (deleted)": still ours, and still to be stopped.
is_ours() {
  local running
  running=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
  [ "$running" = "$2" ] || [ "$running" = "$2 (deleted)" ]
}

# stop_pids FILE: stops the processes listed in FILE (newest first: gateway and ingest deliver and say goodbye before the
# broker and the store go), each only if it is still the program that was started (a pid can be reused).
stop_pids() {
  local file=$1 pid exe i lines=()
  [ -f "$file" ] || return 0
  mapfile -t lines < "$file"
  for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
    read -r pid exe <<< "${lines[$i]}"
    [ "$pid" != "$$" ] && is_ours "$pid" "$exe" || continue
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$file"
}

if [ "${1:-}" = "stop" ]; then
  if [ ! -f "$PIDS_FILE" ]; then echo "No demo is running from $STATE (no $PIDS_FILE)."; exit 0; fi
  # The first line is the demo script itself: stopped first, its own trap stops the rest in order; what is left after
  # that (a script killed with -9) is stopped here.
  read -r script_pid script_exe < "$PIDS_FILE"
  if is_ours "$script_pid" "$script_exe" && kill -TERM "$script_pid" 2>/dev/null; then
    for _ in $(seq 1 300); do kill -0 "$script_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  stop_pids "$PIDS_FILE"
  echo "Demo stopped (state kept in $STATE)."
  exit 0
fi
SECURE=${SECURE:-0}
if [ "${1:-}" = "--secure" ]; then SECURE=1; shift; fi
[ $# -eq 0 ] || { echo "usage: $0 [--secure | stop]" >&2; exit 64; }
if [ -f "$PIDS_FILE" ]; then
  while read -r pid exe; do
    if is_ours "$pid" "$exe"; then
      echo "A demo from $STATE is still running ($exe, pid $pid): stop it with '$0 stop'." >&2
      exit 1
    fi
  done < "$PIDS_FILE"
  rm -f "$PIDS_FILE" # left by a demo that was killed outright; none of its processes is left
fi

ensure_packages curl:curl ss:iproute2 mosquitto:mosquitto mosquitto_sub:mosquitto-clients influxd:influxdb influx:influxdb-client node:nodejs npm:npm

for p in "$MQTT_PORT" "$INFLUX_PORT" "$((INFLUX_PORT + 2))" "$DASHBOARD_PORT"; do
  if port_in_use "$p"; then
    echo "Port $p on 127.0.0.1 is already in use by $(port_holder "$p")." >&2
    echo "Stop it (a demo left running: $0 stop), or pick other ports: MQTT_PORT=11883 INFLUX_PORT=18086 DASHBOARD_PORT=18080 $0" >&2
    exit 1
  fi
done

mkdir -p "$STATE"/{mosquitto,influxdb,logs,agent,central}
pids=()
# Every child runs in its own session (setsid): Ctrl-C in a terminal signals the whole foreground process group, which
# would stop the broker and the store at the same moment as the gateway, before it could deliver and say goodbye.
# Only this script stops them, in order, whatever ends it. The stopping comes first and cannot fail: after the terminal
# is closed (SIGHUP) every write to it fails, and under set -e a failing echo used to end the trap before any kill.
cleanup() {
  trap '' INT TERM HUP PIPE
  trap - EXIT
  set +e
  say "" "Stopping the demo..."
  stop_pids "$PIDS_FILE"
  say "Stopped. Data stays in $STATE; run $0 again to continue."
}
# say LINE...: to the terminal if there still is one.
say() { printf '%s\n' "$@" 2>/dev/null || true; }
# started PID PROGRAM: remembers a child (pid and program) for cleanup and for '$0 stop' from another terminal.
started() { pids+=("$1"); echo "$1 $(readlink -f "$(command -v "$2")")" >> "$PIDS_FILE"; }
trap 'cleanup; exit 0' INT TERM HUP
trap '' PIPE
trap cleanup EXIT
echo "$$ $(readlink "/proc/$$/exe")" > "$PIDS_FILE"

if [ "${DEMO_NO_BUILD:-0}" != 1 ]; then
  echo "Building..."
  dotnet build Gateway.sln -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
fi
BIN_AGENT="$ROOT/src/Gateway.Agent/bin/Release/net10.0/gateway-agent"
BIN_INGEST="$ROOT/src/Gateway.Ingest/bin/Release/net10.0/gateway-ingest"
BIN_CTL="$ROOT/src/Gateway.Cli/bin/Release/net10.0/gatewayctl"

SIM_TLS=()
if [ "$SECURE" = 1 ]; then
  source deploy/dev/demo-secure.sh
else
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
# messages per store write (docs/reliability.md, "The broker", explains both; `gatewayctl broker config` writes them for production).
max_queued_messages 0
max_inflight_messages 1000
CONF
fi
setsid mosquitto -c "$STATE/mosquitto/mosquitto.conf" >> "$STATE/logs/mosquitto.log" 2>&1 &
started $! mosquitto

write_influxdb_conf "$STATE/influxdb/influxdb.conf" "$STATE/influxdb" "$INFLUX_PORT" ${SECURE_INFLUX_LINE:+"$SECURE_INFLUX_LINE"}
setsid influxd -config "$STATE/influxdb/influxdb.conf" > "$STATE/logs/influxd.log" 2>&1 &
started $! influxd

wait_port "$MQTT_PORT" 15 mosquitto "$STATE/logs/mosquitto.log"
wait_port "$INFLUX_PORT" 30 influxd "$STATE/logs/influxd.log"
if [ "$SECURE" = 1 ]; then
  influx_setup_users "$INFLUX_URL" "$SECRETS/influx-admin-password" "$INFLUX_DB" "$SECRETS/influx-ingest-password" "$SECRETS/influx-dashboard-password" > /dev/null
else
  curl -sf -XPOST "$INFLUX_URL/query" --data-urlencode "q=CREATE DATABASE \"$INFLUX_DB\"" > /dev/null
fi
CENTRAL_CONFIG=${CENTRAL_CONFIG:-deploy/central/demo.json}
AGENT_PROFILE=${AGENT_PROFILE:-$PROFILE}
BROKER_ADDRESS=${BROKER_ADDRESS:-127.0.0.1:$MQTT_PORT}
DASHBOARD_URL=${DASHBOARD_URL:-http://127.0.0.1:$DASHBOARD_PORT}

# The central service: ingest + alerts + dashboard, configured by deploy/central/demo.json (sites, geofences, assets,
# the demo account), with this script's ports and state directory.
setsid "$BIN_INGEST" --config "$CENTRAL_CONFIG" --broker "$BROKER_ADDRESS" --influx "$INFLUX_URL" --database "$INFLUX_DB" \
  --client-id demo-ingest --http "$DASHBOARD_URL" --state-dir "$STATE/central" \
  > "$STATE/logs/ingest.log" 2>&1 &
started $! "$BIN_INGEST"
setsid "$BIN_AGENT" --profile "$AGENT_PROFILE" --state-dir "$STATE/agent" --broker "$BROKER_ADDRESS" \
  > "$STATE/logs/agent.log" 2>&1 &
started $! "$BIN_AGENT"
# A small simulated fleet with asset tags; the first tag leaves its site for a minute every 5 minutes (geofence alert).
# In the secure demo each simulated gateway connects with its own certificate (issued once into $SIM_TLS's --certs).
setsid "$BIN_CTL" simulate fleet -h "${BROKER_ADDRESS%:*}" -p "$MQTT_PORT" "${SIM_TLS[@]}" --gateways "$SIM_GATEWAYS" --rate 1 --tags 2 \
  --escape-every 300 > "$STATE/logs/fleet.log" 2>&1 &
started $! "$BIN_CTL"

if [ "$SECURE" = 1 ]; then secure_info; else
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
fi

# Only this run's points: a state directory reused from an earlier run already holds points, which would make the
# "first points" time below a lie.
count_points() {
  local admin=""
  [ "$SECURE" = 1 ] && admin="$SECRETS/influx-admin-password"
  influx_query "$INFLUX_URL" "$admin" "SELECT count(seq) FROM counter WHERE time >= ${started_at}s" "$INFLUX_DB" 2>/dev/null | grep -o '"values":\[\[[^]]*\]\]' | grep -o '[0-9]*\]\]' | grep -o '[0-9]*' || echo 0
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
    say "First points in InfluxDB ${first}s after start."
  fi
  [ -n "$first" ] && { printf '\r  counter points stored by this run: %s   ' "$n" 2>/dev/null || true; }
  sleep 2
done
