# The secure demo's set-up, sourced by demo.sh --secure (not run): everything production has, on loopback, with its
# files under $STATE. The certificates, keys and generated passwords are kept across runs (a second run reuses them).
# Sets CENTRAL_CONFIG, AGENT_PROFILE, BROKER_ADDRESS, SIM_TLS, DASHBOARD_URL, SECURE_INFLUX_LINE and SECRETS for demo.sh, and
# defines secure_info.

PKI="$STATE/pki"
SECRETS="$STATE/secrets"
mkdir -p "$PKI" "$SECRETS"
chmod 700 "$PKI" "$SECRETS"
GATEWAY_ID=$(grep -o '"gatewayId": *"[^"]*"' "$PROFILE" | cut -d'"' -f4)

# The fleet CA and one certificate per party: the broker (a server for localhost/127.0.0.1), the ingest, the dashboard
# (HTTPS), the checkpoint gateway (CN = its gatewayId) and an operator for watching alerts.
# Both commands are repeatable: a second run keeps what the first made and changes nothing.
"$BIN_CTL" ca init --dir "$PKI/ca" > /dev/null
demo_issue() { # NAME ROLE [SAN...]
  "$BIN_CTL" cert issue "$1" --ca "$PKI/ca" --out "$PKI/certs" --role "$2" "${@:3}" > /dev/null
}
demo_issue demo-broker broker --dns localhost --ip 127.0.0.1
demo_issue demo-ingest ingest
demo_issue demo-dashboard dashboard --dns localhost --ip 127.0.0.1
demo_issue demo-operator operator
demo_issue "$GATEWAY_ID" gateway

# The broker exactly as production generates it (TLS only, client certificates, CN = user, CRL, the ACL), on loopback;
# 'user root' keeps a broker started as root able to write this directory.
"$BIN_CTL" broker config --ca "$PKI/ca" --out "$STATE/mosquitto" --port "$MQTT_PORT" --bind 127.0.0.1 --host localhost --host 127.0.0.1 \
  --user root --data-dir "$STATE/mosquitto/" --broker-cert "$PKI/certs/demo-broker.crt" > /dev/null

# InfluxDB with auth-enabled; its admin, the ingest's (WRITE) and the dashboard's (READ) passwords, generated once.
SECURE_INFLUX_LINE="auth-enabled = true"
for name in admin ingest dashboard; do
  [ -s "$SECRETS/influx-$name-password" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$SECRETS/influx-$name-password")
done

# The central service: deploy/central/demo.json (sites, assets, the demo account) with the production security keys
# added; each edit is checked, so a demo.json that no longer has the line fails here and not as a plain-text stack.
CENTRAL_CONFIG="$STATE/central/demo-secure.json"
sed -e "s|\"broker\": { \"clientId\": \"demo-ingest\", \"shareGroup\": \"none\" },|\"broker\": { \"clientId\": \"demo-ingest\", \"shareGroup\": \"none\", \"tls\": { \"caFile\": \"$PKI/ca/ca.crt\", \"certFile\": \"$PKI/certs/demo-ingest.crt\", \"keyFile\": \"$PKI/certs/demo-ingest.key\" } },|" \
    -e "s|\"store\": { \"type\": \"influxdb1\",|\"history\": { \"username\": \"dashboard\", \"passwordFile\": \"$SECRETS/influx-dashboard-password\" },\n  \"store\": { \"type\": \"influxdb1\", \"username\": \"ingest\", \"passwordFile\": \"$SECRETS/influx-ingest-password\",|" \
    -e "s|\"listen\": \"http://127.0.0.1:8080\",|\"listen\": \"https://127.0.0.1:8080\",|" \
    -e "s|\"plainHttp\": true,|\"tls\": { \"certFile\": \"$PKI/certs/demo-dashboard.crt\", \"keyFile\": \"$PKI/certs/demo-dashboard.key\" },|" \
    deploy/central/demo.json > "$CENTRAL_CONFIG"
for key in '"listen": "https://' '"tls": { "caFile"' '"passwordFile": "'"$SECRETS/influx-ingest-password" '"history": {' '"certFile": "'"$PKI/certs/demo-dashboard.crt"; do
  grep -qF "$key" "$CENTRAL_CONFIG" || { echo "demo.sh --secure: deploy/central/demo.json changed shape; could not add $key to $CENTRAL_CONFIG" >&2; exit 1; }
done

# The checkpoint agent with its own certificate (the profile's broker section, as provisioning installs it).
AGENT_PROFILE="$STATE/agent-profile.json"
sed -e "s|\"broker\": { \"host\": \"127.0.0.1\", \"port\": 1883,|\"broker\": { \"host\": \"localhost\", \"port\": $MQTT_PORT, \"tls\": { \"caFile\": \"$PKI/ca/ca.crt\", \"certFile\": \"$PKI/certs/$GATEWAY_ID.crt\", \"keyFile\": \"$PKI/certs/$GATEWAY_ID.key\" },|" \
  "$PROFILE" > "$AGENT_PROFILE"
grep -qF '"tls": { "caFile"' "$AGENT_PROFILE" || { echo "demo.sh --secure: $PROFILE has no broker line to add tls to" >&2; exit 1; }

# The simulated fleet: every gateway its own certificate (CN = its id, as the ACL wants), issued on the first run.
SIM_TLS=(--cafile "$PKI/ca/ca.crt" --certs "$PKI/sim-certs" --ca "$PKI/ca")

# localhost, not 127.0.0.1: the name the broker's certificate carries is what the clients check.
BROKER_ADDRESS="localhost:$MQTT_PORT"
DASHBOARD_URL="https://127.0.0.1:$DASHBOARD_PORT"

secure_info() {
  cat <<INFO

Secure demo stack running (Ctrl-C stops it); every connection is authenticated:
  CA        $PKI/ca/ca.crt (certificates in $PKI/certs)
  broker    mqtts://localhost:$MQTT_PORT  TLS, client certificates, the production ACL ($STATE/mosquitto/acl)
            alerts as an operator: mosquitto_sub -h localhost -p $MQTT_PORT --cafile $PKI/ca/ca.crt \\
              --cert $PKI/certs/demo-operator.crt --key $PKI/certs/demo-operator.key -t fleet/alerts -v
  InfluxDB  $INFLUX_URL  auth-enabled; users ingest (WRITE) and dashboard (READ); passwords in $SECRETS (0600)
  dashboard https://127.0.0.1:$DASHBOARD_PORT/  log in as: demo / demo-password (the browser warns about the fleet CA:
            import $PKI/ca/ca.crt, or accept the certificate for this address)
  gateway   $GATEWAY_ID over mutual TLS with its own certificate (profile $AGENT_PROFILE), plus $SIM_GATEWAYS
            simulated gateways with asset tags, each with its own certificate ($PKI/sim-certs)
  logs      $STATE/logs/{agent,fleet,ingest,mosquitto,influxd}.log

INFO
}
