# Shared helpers for the dev scripts (sourced, not run).

# ensure_packages CMD:PACKAGE ...: installs the Debian packages whose command is missing. Idempotent: nothing is
# installed, and apt is not even updated, when every command is already there.
ensure_packages() {
  local missing=()
  local pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing ${missing[*]} (apt-get)..." >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the packaged services where systemd runs; the demo and the tests start their own on loopback.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now mosquitto influxdb >/dev/null 2>&1 || true
    # openssh-server starts sshd on port 22 when it is installed; the tests run their own sshd on a free port.
    if [[ " ${missing[*]} " == *" openssh-server "* ]]; then $sudo systemctl disable --now ssh >/dev/null 2>&1 || true; fi
  fi
}

# wait_port PORT SECONDS NAME LOGFILE: waits until 127.0.0.1:PORT accepts connections.
wait_port() {
  local port=$1 seconds=$2 name=$3 log=$4 i
  for ((i = 0; i < seconds * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$name did not start listening on 127.0.0.1:$port within ${seconds}s; its log ($log) ends with:" >&2
  tail -n 20 "$log" >&2 || true
  return 1
}

# port_in_use PORT: true when something already listens on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# port_holder PORT: which process listens on PORT ("mosquitto (pid 1234: mosquitto -c ...)"), for a "port in use"
# message that says what to stop instead of leaving the user to guess.
port_holder() {
  local users name pid
  users=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n 1)
  if [ -z "$users" ]; then
    echo "a process this user cannot see (as root: ss -ltnp 'sport = :$1')"
    return 0
  fi
  name=${users#users:((\"}
  name=${name%%\"*}
  pid=${users##*pid=}
  echo "$name (pid $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c 1-150))"
}

# write_influxdb_conf FILE DIR HTTP_PORT [EXTRA_HTTP_LINE...]: a Debian influxd config that keeps its meta, data and
# WAL under DIR and listens only on 127.0.0.1 (its RPC port is HTTP_PORT + 2). Debian's own config points at
# /var/lib/influxdb, which a demo or a bench must not touch.
write_influxdb_conf() {
  local file=$1 dir=$2 port=$3
  shift 3
  {
    echo 'reporting-enabled = false'
    echo "bind-address = \"127.0.0.1:$((port + 2))\""
    echo '[meta]'
    echo "  dir = \"$dir/meta\""
    echo '[data]'
    echo "  dir = \"$dir/data\""
    echo "  wal-dir = \"$dir/wal\""
    echo '  query-log-enabled = false'
    echo '[monitor]'
    echo '  store-enabled = false'
    echo '[http]'
    echo "  bind-address = \"127.0.0.1:$port\""
    echo '  log-enabled = false'
    local line
    for line in "$@"; do echo "  $line"; done
  } > "$file"
}

# influx_query URL ADMIN_PASSWORD_FILE STATEMENT [DB]: one InfluxQL statement (POST /query), as the user admin when a
# password file is given (empty: no credentials). The password and the statement (which may carry a user's password) reach curl
# on stdin, never on its command line, where any local user could read them (ps).
influx_query() {
  local url=$1 admin_file=$2 statement=$3 db=${4:-} user_line=""
  [ -n "$admin_file" ] && user_line="user = \"admin:$(cat "$admin_file")\""
  # curl's config syntax: backslash and double quote are escaped inside a quoted value.
  statement=${statement//\\/\\\\}
  statement=${statement//\"/\\\"}
  curl -sS -f -K - <<CURL
url = "$url/query?db=$db"
$user_line
data-urlencode = "q=$statement"
CURL
}

# influx_setup_users URL ADMIN_FILE DB INGEST_PASSWORD_FILE DASHBOARD_PASSWORD_FILE: on an InfluxDB 1.x with auth-enabled,
# creates the admin (password from ADMIN_FILE) when it has no user yet, the database, the user ingest (WRITE on DB only)
# and the user dashboard (READ only), each only if missing. Prints one line per thing it created; fails with a message
# naming ADMIN_FILE when the server already has an admin with another password.
influx_setup_users() {
  local url=$1 admin=$2 db=$3 ingest=$4 dashboard=$5 users pair user file
  if ! influx_query "$url" "$admin" "SHOW USERS" > /dev/null 2>&1; then
    # With auth on and no user yet, InfluxDB accepts one statement without credentials: creating the first admin.
    if ! influx_query "$url" "" "CREATE USER admin WITH PASSWORD '$(cat "$admin")' WITH ALL PRIVILEGES" > /dev/null 2>&1; then
      echo "InfluxDB at $url refused the admin password in $admin and already has an admin: put that admin's password in $admin (mode 0600) and run again" >&2
      return 1
    fi
    echo "created the InfluxDB admin (password in $admin)"
  fi
  users=$(influx_query "$url" "$admin" "SHOW USERS")
  influx_query "$url" "$admin" "CREATE DATABASE \"$db\"" > /dev/null
  for pair in "ingest:WRITE:$ingest" "dashboard:READ:$dashboard"; do
    IFS=: read -r user right file <<< "$pair"
    if [[ "$users" != *"[\"$user\","* ]]; then
      influx_query "$url" "$admin" "CREATE USER $user WITH PASSWORD '$(cat "$file")'" > /dev/null
      echo "created InfluxDB user $user ($right on $db, password in $file)"
    fi
    influx_query "$url" "$admin" "GRANT $right ON \"$db\" TO $user" > /dev/null
  done
}

export PATH="$PATH:/usr/sbin:/sbin"
