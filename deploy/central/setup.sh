#!/usr/bin/env bash
# The secure central site in one command, on a fresh Debian server (run as root, from a checkout of this repository):
#
#   deploy/central/setup.sh --host mqtt.hq.example --ip 10.0.0.5
#
# It creates the fleet CA (or reuses the one given with --ca), issues the broker, ingest and dashboard certificates,
# writes the mosquitto configuration and ACL (gatewayctl broker config), turns on InfluxDB authentication with an admin,
# a write-only user for the ingest and a read-only user for the dashboard (passwords generated into 0600 files), installs
# gateway-ingest under /opt with its configuration in /etc/gateway-ingest and the hardened systemd units, starts it all,
# and prints what to do next. Idempotent: a second run changes no file (each is written only when its content differs)
# and keeps every key, password and certificate.
#
# Options:
#   --host NAME       a name gateways and browsers use for this server (repeatable; default: this host's name)
#   --ip ADDRESS      an address they use (repeatable)
#   --ca DIR          an existing fleet CA directory to reuse (default: ROOT/etc/gateway-fleet/ca, created if missing)
#   --root DIR        install under DIR instead of / (tests, image builds); implies --no-systemctl
#   --no-systemctl    write everything but start nothing
#   --influx-url URL  the InfluxDB to set up (default http://127.0.0.1:8086)
# Environment: GATEWAYCTL (a gatewayctl command), INGEST_DIST (a published gateway-ingest directory); both are built
#   from this checkout when unset.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)

ROOT=""
SYSTEMCTL=1
HOSTS=()
IPS=()
CA_DIR=""
CA_ARG=""
INFLUX_URL="http://127.0.0.1:8086"
DB=fleet
while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOSTS+=("$2"); shift 2 ;;
    --ip) IPS+=("$2"); shift 2 ;;
    --ca) CA_DIR=$2; CA_ARG=$2; shift 2 ;;
    --root) ROOT=$(mkdir -p "$2" && cd "$2" && pwd); SYSTEMCTL=0; shift 2 ;;
    --no-systemctl) SYSTEMCTL=0; shift ;;
    --influx-url) INFLUX_URL=${2%/}; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument '$1' (see $0 --help)" >&2; exit 64 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "setup.sh: run as root (it installs services and writes /etc)" >&2; exit 77; }
[ ${#HOSTS[@]} -gt 0 ] || HOSTS=("$(hostname -f 2>/dev/null || hostname)")

ETC="$ROOT/etc"
FLEET="$ETC/gateway-fleet"
CA_DIR=${CA_DIR:-$FLEET/ca}
CERTS="$FLEET/certs"
BROKER_DIR="$ETC/mosquitto/fleet"
INGEST_ETC="$ETC/gateway-ingest"
OPT="$ROOT/opt/gateway-ingest"
UNITS="$ETC/systemd/system"
changed=0

# install_file SRC DST MODE [OWNER]: puts SRC at DST only when the content or mode differs, so a second run leaves
# every file (and its mtime) alone. Owners are set only where the user exists (a --root test has no service users).
install_file() {
  local src=$1 dst=$2 mode=$3 owner=${4:-root}
  id -u "$owner" >/dev/null 2>&1 || owner=root
  if [ -f "$dst" ] && cmp -s "$src" "$dst" && [ "$(stat -c %a "$dst")" = "${mode#0}" ] && [ "$(stat -c %U "$dst")" = "$owner" ]; then return 0; fi
  install -D -m "$mode" -o "$owner" -g "$(id -gn "$owner")" "$src" "$dst"
  echo "  wrote $dst"
  changed=$((changed + 1))
}

# install_text DST MODE OWNER < content
install_text() {
  local tmp
  tmp=$(mktemp)
  cat > "$tmp"
  install_file "$tmp" "$@"
  rm -f "$tmp"
}

# secret_file PATH OWNER: a generated password, kept once made (never printed, never on a command line).
secret_file() {
  local path=$1 owner=$2
  if [ ! -s "$path" ]; then
    mkdir -p "$(dirname "$path")"
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$path")
    echo "  generated $path"
    changed=$((changed + 1))
  fi
  id -u "$owner" >/dev/null 2>&1 || owner=root
  [ "$(stat -c %U:%a "$path")" = "$owner:600" ] || { chown "$owner:$(id -gn "$owner")" "$path"; chmod 600 "$path"; }
}

echo "== Binaries"
if [ -z "${GATEWAYCTL:-}" ] || [ -z "${INGEST_DIST:-}" ]; then
  command -v dotnet >/dev/null || { echo "setup.sh: set GATEWAYCTL and INGEST_DIST, or install the .NET SDK to build them from $SRC" >&2; exit 69; }
  BUILD=$(mktemp -d)
  trap 'rm -rf "$BUILD"' EXIT
  dotnet publish "$SRC/src/Gateway.Cli" -c Release -o "$BUILD/cli" -nologo -v quiet
  dotnet publish "$SRC/src/Gateway.Ingest" -c Release -o "$BUILD/ingest" -nologo -v quiet
  GATEWAYCTL=${GATEWAYCTL:-$BUILD/cli/gatewayctl}
  INGEST_DIST=${INGEST_DIST:-$BUILD/ingest}
fi
read -r -a CTL <<< "$GATEWAYCTL"

echo "== Packages"
source "$SRC/deploy/dev/lib.sh"
if [ -z "$ROOT" ]; then
  ensure_packages mosquitto:mosquitto influxd:influxdb influx:influxdb-client curl:curl
fi
if ! id -u gateway-ingest >/dev/null 2>&1 && [ -z "$ROOT" ]; then
  useradd --system --home-dir /var/lib/gateway-ingest --shell /usr/sbin/nologin gateway-ingest
  echo "  created user gateway-ingest"
fi

echo "== Fleet CA and certificates"
# ca init and cert issue are repeatable: what is already there, whole and as asked, is kept and the command says
# "nothing was changed"; anything else in the way stops the set-up naming what differs (e.g. a broker certificate for
# other host names: move it away to issue a new one). Their first word says whether they made something.
mkdir -p "$(dirname "$CA_DIR")"
said=$("${CTL[@]}" ca init --dir "$CA_DIR")
if [ "${said%% *}" = created ]; then
  echo "  created the fleet CA in $CA_DIR (its ca.key signs every gateway: back it up, keep it off this server if you can)"
  changed=$((changed + 1))
fi
chmod 700 "$CA_DIR"
san=()
for h in "${HOSTS[@]}"; do san+=(--dns "$h"); done
for i in "${IPS[@]}"; do san+=(--ip "$i"); done
issue() { # NAME ROLE [SAN...]
  local name=$1 role=$2
  shift 2
  local said
  said=$("${CTL[@]}" cert issue "$name" --ca "$CA_DIR" --out "$CERTS" --role "$role" "$@")
  [ "${said%% *}" = issued ] || return 0
  echo "  issued $role certificate $CERTS/$name.crt"
  changed=$((changed + 1))
}
issue broker-hq broker "${san[@]}"
issue ingest-hq ingest
issue dashboard-hq dashboard "${san[@]}"

echo "== Broker (mosquitto, TLS with client certificates, ACL)"
GEN=$(mktemp -d)
"${CTL[@]}" broker config --ca "$CA_DIR" --out "$GEN" --conf-dir /etc/mosquitto/fleet \
  --broker-cert "$CERTS/broker-hq.crt" --broker-key "$CERTS/broker-hq.key" > /dev/null
for f in "$GEN"/*; do
  name=$(basename "$f")
  case "$name" in
    *.key) install_file "$f" "$BROKER_DIR/$name" 600 mosquitto ;;
    *) install_file "$f" "$BROKER_DIR/$name" 644 ;;
  esac
done
rm -rf "$GEN"
install_file "$SRC/deploy/broker/mosquitto-fleet.service" "$UNITS/mosquitto-fleet.service" 644

echo "== InfluxDB (auth-enabled, loopback only; admin, a write-only and a read-only user)"
CONF="$ETC/influxdb/influxdb.conf"
tmp=$(mktemp)
if [ -f "$CONF" ]; then cp "$CONF" "$tmp"; else printf '[meta]\n  dir = "/var/lib/influxdb/meta"\n[data]\n  dir = "/var/lib/influxdb/data"\n  wal-dir = "/var/lib/influxdb/wal"\n[http]\n' > "$tmp"; fi
# In [http]: auth-enabled = true and bind-address on loopback (the ingest and the dashboard run on this host).
awk '
  /^\[/ { if (inhttp && !auth) print "  auth-enabled = true"; if (inhttp && !bind) print "  bind-address = \"127.0.0.1:8086\""; inhttp = ($0 == "[http]"); auth = bind = 0 }
  inhttp && /^[ \t#]*auth-enabled[ \t]*=/ { print "  auth-enabled = true"; auth = 1; next }
  inhttp && /^[ \t#]*bind-address[ \t]*=/ { if (!bind) print "  bind-address = \"127.0.0.1:8086\""; bind = 1; next }
  { print }
  END { if (inhttp && !auth) print "  auth-enabled = true"; if (inhttp && !bind) print "  bind-address = \"127.0.0.1:8086\"" }
' "$tmp" > "$tmp.new"
before=$changed
install_file "$tmp.new" "$CONF" 644
rm -f "$tmp" "$tmp.new"
if [ "$SYSTEMCTL" = 1 ]; then
  systemctl enable influxdb > /dev/null 2>&1
  if [ "$changed" != "$before" ]; then systemctl restart influxdb; else systemctl start influxdb; fi
fi
ADMIN="$ETC/influxdb/admin-password"
secret_file "$ADMIN" root
secret_file "$INGEST_ETC/influx-ingest-password" gateway-ingest
secret_file "$INGEST_ETC/influx-dashboard-password" gateway-ingest
for _ in $(seq 1 60); do curl -sf "$INFLUX_URL/ping" > /dev/null && break; sleep 0.5; done
curl -sf "$INFLUX_URL/ping" > /dev/null || { echo "setup.sh: InfluxDB does not answer at $INFLUX_URL/ping; see journalctl -u influxdb" >&2; exit 69; }
created=$(influx_setup_users "$INFLUX_URL" "$ADMIN" "$DB" "$INGEST_ETC/influx-ingest-password" "$INGEST_ETC/influx-dashboard-password") || exit 77
if [ -n "$created" ]; then
  sed 's/^/  /' <<< "$created"
  changed=$((changed + $(wc -l <<< "$created")))
fi

echo "== gateway-ingest"
for f in $(cd "$INGEST_DIST" && find . -type f | sort); do
  mode=644
  [ -x "$INGEST_DIST/$f" ] && mode=755
  install_file "$INGEST_DIST/$f" "$OPT/${f#./}" "$mode"
done
install_file "$CERTS/ingest-hq.crt" "$INGEST_ETC/tls/ingest.crt" 644
install_file "$CERTS/ingest-hq.key" "$INGEST_ETC/tls/ingest.key" 600 gateway-ingest
install_file "$CERTS/dashboard-hq.crt" "$INGEST_ETC/tls/dashboard.crt" 644
install_file "$CERTS/dashboard-hq.key" "$INGEST_ETC/tls/dashboard.key" 600 gateway-ingest
install_file "$CA_DIR/ca.crt" "$INGEST_ETC/tls/ca.crt" 644
# The first operator account: a generated password in a 0600 file (read it once, then change it: docs/operators.md).
OPS="$INGEST_ETC/dashboard-ops-password"
if [ ! -s "$INGEST_ETC/central.json" ]; then
  secret_file "$OPS" root
  hash=$("$OPT/gateway-ingest" hash-password < "$OPS" 2> /dev/null)
  install_text "$INGEST_ETC/central.json" 640 gateway-ingest <<JSON
{
  // Written by deploy/central/setup.sh; edit freely (a second run keeps this file). Sample with every key:
  // deploy/central/central.json. Add your sites and assets, then: systemctl restart gateway-ingest.
  "broker": {
    "host": "${HOSTS[0]}", "port": 8883, "clientId": "ingest-hq-1", "shareGroup": "none",
    "tls": { "caFile": "tls/ca.crt", "certFile": "tls/ingest.crt", "keyFile": "tls/ingest.key" }
  },
  "store": { "type": "influxdb1", "url": "$INFLUX_URL", "database": "$DB", "username": "ingest", "passwordFile": "influx-ingest-password" },
  "history": { "username": "dashboard", "passwordFile": "influx-dashboard-password" },
  "stateDirectory": "/var/lib/gateway-ingest",
  "dashboard": {
    "enabled": true,
    "listen": "https://0.0.0.0:8443",
    "tls": { "certFile": "tls/dashboard.crt", "keyFile": "tls/dashboard.key" },
    "accounts": [ { "user": "ops", "role": "admin", "passwordHash": "$hash" } ]
  },
  "alerts": { "enabled": true },
  "sites": [],
  "assets": []
}
JSON
fi
install_file "$SRC/deploy/systemd/gateway-ingest.service" "$UNITS/gateway-ingest.service" 644

if [ "$SYSTEMCTL" = 1 ]; then
  echo "== Services"
  systemctl daemon-reload
  # Debian's own mosquitto.service reads /etc/mosquitto/mosquitto.conf (plain TCP): the fleet broker replaces it.
  systemctl disable --now mosquitto > /dev/null 2>&1 || true
  systemctl enable mosquitto-fleet gateway-ingest > /dev/null 2>&1
  # Restarted only when something changed (a new ACL, certificate or binary): a second run disturbs nothing.
  if [ "$changed" -gt 0 ]; then systemctl restart mosquitto-fleet gateway-ingest; else systemctl start mosquitto-fleet gateway-ingest; fi
fi

# The same command again, for the next steps.
RERUN="$SRC/deploy/central/setup.sh"
for h in "${HOSTS[@]}"; do RERUN+=" --host $h"; done
for i in "${IPS[@]}"; do RERUN+=" --ip $i"; done
[ -z "$CA_ARG" ] || RERUN+=" --ca $CA_ARG"
[ -z "$ROOT" ] || RERUN+=" --root $ROOT"
[ "$INFLUX_URL" = "http://127.0.0.1:8086" ] || RERUN+=" --influx-url $INFLUX_URL"

cat <<NEXT

Secure central site ready ($changed change(s) this run).
  broker     mqtts://${HOSTS[0]}:8883  (client certificates from $CA_DIR; config $BROKER_DIR)
  InfluxDB   $INFLUX_URL  auth-enabled; users ingest (WRITE) and dashboard (READ) on '$DB'; admin password in $ADMIN
  dashboard  https://${HOSTS[0]}:8443/  user ops, password in $OPS (read it once: cat $OPS; change it in central.json)
  service    systemctl status gateway-ingest   journalctl -u gateway-ingest -f   config $INGEST_ETC/central.json

Next, on the engineer's laptop (docs/engineers.md, "Provisioning a new site"):
  scp -r root@${HOSTS[0]}:$CA_DIR ~/fleet-ca         # the CA: keep this copy offline
  gatewayctl cert issue alice --role operator --ca ~/fleet-ca --out ~/fleet-certs      # each engineer sending commands
  gatewayctl cert issue GATEWAY_ID --role gateway --ca ~/fleet-ca --out ~/fleet-certs  # one per gateway, then provision
The broker grants operator and ingest certificates by name, from the CA's index.json: after issuing or revoking one,
copy the CA back and run this script again (it rewrites the ACL and restarts the broker):
  scp ~/fleet-ca/* root@${HOSTS[0]}:$CA_DIR/ && ssh root@${HOSTS[0]} $RERUN
Gateway certificates need no broker change.
NEXT
