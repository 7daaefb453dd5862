#!/usr/bin/env bash
# Make a local PostgreSQL (Debian's cluster) ready for the test suite and print its URL.
# Prints nothing and exits 1 when no PostgreSQL server is installed or it cannot be started.
set -uo pipefail

url="postgresql://caseload:caseload@127.0.0.1:5432/caseload_test"
command -v pg_lsclusters >/dev/null 2>&1 || exit 1

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  elif [ "$(id -un)" = postgres ]; then "$@"
  else sudo -n -u postgres "$@"; fi
}

cluster=$(pg_lsclusters --no-header 2>/dev/null | head -n 1)
[ -n "$cluster" ] || exit 1
version=$(echo "$cluster" | awk '{print $1}')
name=$(echo "$cluster" | awk '{print $2}')
if ! echo "$cluster" | grep -q online; then
  if [ "$(id -u)" = 0 ]; then pg_ctlcluster "$version" "$name" start >&2 || exit 1
  else as_postgres pg_ctlcluster "$version" "$name" start >&2 || exit 1; fi
fi
for _ in $(seq 1 30); do
  as_postgres psql -qAtc 'select 1' >/dev/null 2>&1 && break
  sleep 1
done
as_postgres psql -qAtc "select 1 from pg_roles where rolname = 'caseload'" | grep -q 1 \
  || as_postgres psql -qc "create role caseload login password 'caseload' createdb" >&2 || exit 1
as_postgres psql -qAtc "select 1 from pg_database where datname = 'caseload_test'" | grep -q 1 \
  || as_postgres createdb -O caseload caseload_test >&2 || exit 1
echo "$url"
