#!/bin/sh
#
# Installs the congress-datasource OCF resource agent for Pacemaker and makes
# congress-server available at the agent's default binary path. Idempotent:
# running it again changes nothing unless the checkout changed.
#
#   scripts/install-ocf.sh [--ocf-root DIR] [--bin-dir DIR] [--no-wrapper] [--force]
#
#   --ocf-root DIR  OCF root (default /usr/lib/ocf); the agent goes to
#                   DIR/resource.d/openstack/congress-datasource
#   --bin-dir DIR   where the congress-server wrapper goes (default /usr/local/bin)
#   --no-wrapper    install only the agent
#   --force         replace a congress-server in --bin-dir that this script
#                   did not write
#
# The wrapper execs this checkout's bin/congress-server with the absolute path
# of the node found now: Pacemaker runs agents with a minimal PATH that may
# not contain node, and exec keeps the PID the agent records the server's.

set -eu

OCF_ROOT_DIR=/usr/lib/ocf
BIN_DIR=/usr/local/bin
WRAPPER=yes
FORCE=no
MARKER='# congress-ts wrapper written by scripts/install-ocf.sh'

usage() {
	sed -n '7,15p' "$0" | sed 's/^# \{0,1\}//'
	exit "$1"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--ocf-root) [ $# -ge 2 ] || usage 2; OCF_ROOT_DIR=$2; shift 2 ;;
	--bin-dir) [ $# -ge 2 ] || usage 2; BIN_DIR=$2; shift 2 ;;
	--no-wrapper) WRAPPER=no; shift ;;
	--force) FORCE=yes; shift ;;
	-h|--help) usage 0 ;;
	*) echo "install-ocf: unknown argument: $1" >&2; usage 2 ;;
	esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
AGENT_SRC="$ROOT/ocf/congress-datasource"
AGENT_DIR="$OCF_ROOT_DIR/resource.d/openstack"
AGENT_DST="$AGENT_DIR/congress-datasource"

[ -f "$AGENT_SRC" ] || { echo "install-ocf: $AGENT_SRC is missing" >&2; exit 1; }

# Copies SRC to DST with mode 0755 unless DST already has that content and mode.
install_file() {
	if [ -f "$2" ] && cmp -s "$1" "$2" && [ -x "$2" ] && [ "$(stat -c %a "$2")" = 755 ]; then
		echo "install-ocf: $2 is up to date"
		return 0
	fi
	mkdir -p "$(dirname "$2")"
	# Through a temporary file in the same directory: Pacemaker may run the
	# agent at any moment and must never see a half-written file.
	cp "$1" "$2.tmp.$$"
	chmod 0755 "$2.tmp.$$"
	mv -f "$2.tmp.$$" "$2"
	echo "install-ocf: installed $2"
}

# Pacemaker lists agents by directory: the provider directory must be
# readable and searchable by all (it runs some queries unprivileged).
mkdir -p "$AGENT_DIR"
chmod 0755 "$AGENT_DIR"
install_file "$AGENT_SRC" "$AGENT_DST"

[ "$WRAPPER" = yes ] || exit 0

NODE=$(command -v node || true)
if [ -z "$NODE" ]; then
	echo "install-ocf: node is not on PATH; install Node.js >= 20 first" >&2
	exit 1
fi
SERVER="$ROOT/bin/congress-server"
[ -f "$SERVER" ] || { echo "install-ocf: $SERVER is missing" >&2; exit 1; }
if [ ! -f "$ROOT/dist/src/server/main.js" ]; then
	echo "install-ocf: warning: $ROOT/dist is not built yet (npm run build); the server cannot start until it is" >&2
fi

DST="$BIN_DIR/congress-server"
if [ -e "$DST" ] && ! grep -qF "$MARKER" "$DST" 2>/dev/null && [ "$FORCE" = no ]; then
	echo "install-ocf: $DST exists and was not written by this script; use --force to replace it" >&2
	exit 1
fi
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT
cat >"$TMP" <<EOF
#!/bin/sh
$MARKER
exec "$NODE" "$SERVER" "\$@"
EOF
install_file "$TMP" "$DST"
