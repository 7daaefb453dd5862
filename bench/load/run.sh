#!/usr/bin/env bash
# Load run: a fresh PostgreSQL database, gunicorn on 127.0.0.1, 50 simulated workers filling in
# the daily log, then an exactly-once check in the database. Loopback only.
#
#   bash bench/load/run.sh                      # 50 users, 120 s, gunicorn -w 3
#   LOAD_DURATION=30 LOAD_USERS=10 LOAD_GUNICORN_WORKERS=2 bash bench/load/run.sh
#   bash bench/load/run.sh --think-min 0.2      # extra arguments go to loadgen.py
#   LOAD_RACE_PROBE=1 bash bench/load/run.sh    # then also race_probe.py (same new employer)
#
# Exit status 0 on PASS, 1 on FAIL, 2 when the setup failed. Output: bench/out/.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
out="$root/bench/out"
mkdir -p "$out"

users=${LOAD_USERS:-50}
duration=${LOAD_DURATION:-120}
gunicorn_workers=${LOAD_GUNICORN_WORKERS:-3}
# LOAD_DATABASE: another name where several people share one PostgreSQL server.
database=${LOAD_DATABASE:-caseload_load}
export LOAD_DATABASE="$database"
database_url="postgresql://caseload:caseload@127.0.0.1:5432/$database"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
server_log="$out/load-gunicorn-$stamp.log"
manifest="$out/load-seed.json"
instance="$out/load-instance"   # own instance folder: secret key, mail sink
py="$root/.venv/bin/python"

say() { echo "== $*"; }
fail_setup() { echo "setup failed: $*" >&2; exit 2; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  elif [ "$(id -un)" = postgres ]; then "$@"
  else sudo -n -u postgres "$@"; fi
}

[ -x "$py" ] || fail_setup "no .venv; run scripts/setup.sh first"

# 1. PostgreSQL on this machine, the role caseload, and a fresh database caseload_load.
say "PostgreSQL"
command -v pg_lsclusters >/dev/null 2>&1 || fail_setup "no PostgreSQL server installed"
cluster=$(pg_lsclusters --no-header 2>/dev/null | head -n 1)
[ -n "$cluster" ] || fail_setup "no PostgreSQL cluster"
if ! echo "$cluster" | grep -q online; then
  version=$(echo "$cluster" | awk '{print $1}'); name=$(echo "$cluster" | awk '{print $2}')
  if [ "$(id -u)" = 0 ]; then pg_ctlcluster "$version" "$name" start
  else as_postgres pg_ctlcluster "$version" "$name" start; fi
fi
for _ in $(seq 1 30); do as_postgres psql -qAtc 'select 1' >/dev/null 2>&1 && break; sleep 1; done
as_postgres psql -qAtc "select 1 from pg_roles where rolname = 'caseload'" | grep -q 1 \
  || as_postgres psql -qc "create role caseload login password 'caseload' createdb"
as_postgres dropdb --if-exists --force "$database"
as_postgres createdb -O caseload "$database"

# 2. gunicorn in .venv.
[ -x "$root/.venv/bin/gunicorn" ] || { say "installing gunicorn"; "$root/.venv/bin/pip" install -q gunicorn; }

# 3. Schema and data: demo team plus extra teams, 50 workers with their own clients.
export DATABASE_URL="$database_url" CASELOAD_INSTANCE="$instance" FLASK_APP=caseload:create_app
export CASELOAD_EMBEDDED_SCHEDULER=0
# The load users log in with a password only (the second factor is not what is measured).
export CASELOAD_2FA_REQUIRED_ROLES=none
unset CASELOAD_TODAY
say "flask db upgrade"
"$root/.venv/bin/flask" db upgrade >"$out/load-migrate.log" 2>&1 || { cat "$out/load-migrate.log"; fail_setup "migration"; }
say "seeding"
"$py" bench/load/seed.py --workers "$users" --manifest "$manifest"
# The signals the caseload page shows, as the nightly job would have made them.
"$root/.venv/bin/flask" norms check >"$out/load-norms.log" 2>&1 || fail_setup "flask norms check (see $out/load-norms.log)"
head -n 1 "$out/load-norms.log"  # not tail | head: SIGPIPE ends the run under pipefail

# 4. gunicorn on a free loopback port.
port=${LOAD_PORT:-$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
say "gunicorn -w $gunicorn_workers on 127.0.0.1:$port (log $server_log)"
"$root/.venv/bin/gunicorn" -w "$gunicorn_workers" -b "127.0.0.1:$port" --timeout 60 \
  --access-logfile - --access-logformat 'ACCESS %(m)s %(U)s q=%(q)s %(s)s %(D)s' \
  --error-logfile - wsgi:app >"$server_log" 2>&1 &
gunicorn_pid=$!
stop_gunicorn() {
  if kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -TERM "$gunicorn_pid"; wait "$gunicorn_pid" 2>/dev/null || true
  fi
}
trap stop_gunicorn EXIT
for _ in $(seq 1 60); do
  "$py" - "$port" <<'EOF' && break
import sys, urllib.request
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/login", timeout=2)
except Exception:
    sys.exit(1)
EOF
  kill -0 "$gunicorn_pid" 2>/dev/null || { cat "$server_log"; fail_setup "gunicorn did not start"; }
  sleep 1
done

# 5. Load.
say "load: $users users, $duration s"
status=0
"$py" bench/load/loadgen.py --port "$port" --manifest "$manifest" --database-url "$database_url" \
  --users "$users" --duration "$duration" --server-log "$server_log" \
  --gunicorn-workers "$gunicorn_workers" "$@" || status=$?

# Optional: several workers saving the same new employer at once (see race_probe.py).
if [ "${LOAD_RACE_PROBE:-0}" = 1 ]; then
  say "race probe"
  "$py" bench/load/race_probe.py --port "$port" --manifest "$manifest" \
    --database-url "$database_url" || status=1
fi

# 6. Stop gunicorn (also on any exit, via the trap).
stop_gunicorn
trap - EXIT
exit "$status"
