# Shared by run-original.sh and run-ours.sh (sourced): the same fresh server directory, the same
# [DEFAULT] options both servers read, and the same wait for the server to answer.

# fresh_dir DIR: an empty working directory with an empty policy library and key directory.
fresh_dir() {
  rm -rf "$1"
  mkdir -p "$1/lib" "$1/keys"
}

# common_default DIR PORT: the [DEFAULT] lines both servers get (loopback, noauth, empty library).
common_default() {
  cat <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $2
auth_strategy = noauth
policy_library_path = $1/lib
encryption_key_path = $1/keys
CONF
}

# wait_answering PID PORT DIR WHAT: waits (at most 60 s) until GET /v1/policies answers, then
# prints PID; fails with WHAT and the log's path if the process ends or never answers.
wait_answering() {
  echo "$1" > "$3/server.pid"
  i=0
  until curl -sf "http://127.0.0.1:$2/v1/policies" > /dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 120 ] || ! kill -0 "$1" 2>/dev/null; then
      echo "$4 did not start; see $3/server.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "$1"
}
