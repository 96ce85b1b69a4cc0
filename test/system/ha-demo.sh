#!/usr/bin/env bash
# Starts the whole HA topology on this machine for a person to try: MariaDB and RabbitMQ (started
# if they are not running), one datasource node, two policy-engine nodes and HAProxy in front,
# all on loopback. Prints what to try, waits for Enter (or for SIGINT/SIGTERM), then stops
# everything it started by PID and drops its database.
#
#   bash test/system/ha-demo.sh            # interactive
#   HA_DEMO_SECONDS=20 bash test/system/ha-demo.sh   # stop by itself after 20 s (used by a test)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$(mktemp -d /tmp/congress-ha-demo.XXXXXX)"
DB="congress_demo_$$"
BUS="demo-$$"
PIDS=()
LB_PORT="${HA_DEMO_PORT:-18789}"

log() { printf 'ha-demo: %s\n' "$*"; }
stop_all() {
  set +e
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  mariadb -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS \`$DB\`" 2>/dev/null
  rm -rf "$DIR"
  log "stopped"
}
trap stop_all EXIT
trap 'exit 0' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 300); do port_open "$1" && return 0; sleep 0.2; done
  log "nothing answers on port $1"; return 1
}

command -v haproxy >/dev/null || { log "installing haproxy"; apt-get update -qq && apt-get install -y haproxy >/dev/null; }
port_open 3306 || { log "starting MariaDB"; start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd; wait_port 3306; }
port_open 5672 || { log "starting RabbitMQ"; rabbitmq-server -detached; wait_port 5672; }
[ -f "$ROOT/dist/src/server/main.js" ] || (cd "$ROOT" && npm run build >/dev/null)

mariadb -uroot -h127.0.0.1 -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4"
conf() { # node-name port
  cat > "$DIR/$1.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $2
auth_strategy = noauth
transport_url = rabbit://guest:guest@127.0.0.1:5672/
policy_library_path = $DIR/library
encryption_key_path = $DIR/keys
[dse]
bus_id = $BUS
[database]
connection = mysql+pymysql://root@127.0.0.1/$DB?charset=utf8
CONF
}
mkdir -p "$DIR/library"
conf ds 18790; conf pe1 14001; conf pe2 14002
node "$ROOT/bin/congress-server" --config-file "$DIR/ds.conf" --db-upgrade >/dev/null
start() { # name args...
  local name="$1"; shift
  node "$ROOT/bin/congress-server" --config-file "$DIR/$name.conf" "$@" >"$DIR/$name.log" 2>&1 &
  PIDS+=("$!")
}
start ds --datasources --node-id ds
wait_port 18790
start pe1 --api --policy-engine --node-id pe1
start pe2 --api --policy-engine --node-id pe2
wait_port 14001; wait_port 14002
sed -e "s/127.0.0.1:1789/127.0.0.1:$LB_PORT/; s/127.0.0.1:4001/127.0.0.1:14001/; s/127.0.0.1:4002/127.0.0.1:14002/" \
  "$ROOT/config/haproxy.cfg" > "$DIR/haproxy.cfg"
haproxy -f "$DIR/haproxy.cfg" -db >"$DIR/haproxy.log" 2>&1 &
PIDS+=("$!")
wait_port "$LB_PORT"

cat <<TRY
ha-demo: running (logs in $DIR)
  HAProxy        http://127.0.0.1:$LB_PORT   (pids: ${PIDS[*]})
  pe1, pe2       http://127.0.0.1:14001, http://127.0.0.1:14002
  datasource     http://127.0.0.1:18790/livez
Try:
  curl -s -XPOST http://127.0.0.1:$LB_PORT/v1/policies/classification/rules -H 'Content-Type: application/json' -d '{"rule": "p(x) :- q(x)"}' -i | grep -i revision
  curl -s http://127.0.0.1:14002/v1/policies/classification/rules      # the other node has it
  kill -9 <pe1 pid>; curl -s http://127.0.0.1:$LB_PORT/v1/policies      # HAProxy keeps serving
TRY
if [ -n "${HA_DEMO_SECONDS:-}" ]; then sleep "$HA_DEMO_SECONDS"; else read -r -p "Press Enter to stop. " _ || true; fi
