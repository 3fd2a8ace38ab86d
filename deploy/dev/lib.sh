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

export PATH="$PATH:/usr/sbin:/sbin"
