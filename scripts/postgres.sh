#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: a fresh cluster in a temp dir, on a free loopback port, no Docker.
#   eval "$(scripts/postgres.sh start)"        installs Debian's postgresql when missing (root, or sudo), then prints
#                                              export BITTEN_TEST_PG='Host=127.0.0.1;Port=…;Username=bitten;Password=…'
#                                              export BITTEN_PG_DIR='/tmp/bitten-pg.…'
#   scripts/postgres.sh stop [DIR]             stops that server and removes its dir (DIR defaults to $BITTEN_PG_DIR)
# Each start is its own cluster, so concurrent test runs on one machine do not share a server. Messages go to stderr.
# BITTEN_PG_LISTEN=ADDR listens there instead of 127.0.0.1 (its subnet may connect), BITTEN_PG_NETNS=NAME starts the
# server inside that network namespace (the multi-host tests).
set -euo pipefail

say() { echo "postgres: $*" >&2; }

# initdb refuses to run as root: as root, the cluster belongs to the postgres user; otherwise to whoever runs this.
as_owner() {
  local netns=()
  [[ -n "${BITTEN_PG_NETNS:-}" ]] && netns=(ip netns exec "$BITTEN_PG_NETNS")
  if [[ $(id -u) -eq 0 ]]; then
    "${netns[@]}" runuser -u postgres -- "$@"
  else
    "${netns[@]}" "$@"
  fi
}

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

install() {
  if dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed" && bin_dir >/dev/null; then
    return 0
  fi
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null || ! sudo -n true 2>/dev/null; then
      say "postgresql is not installed and installing it needs root (apt-get install postgresql)"
      return 1
    fi
    sudo="sudo -n"
  fi
  say "installing postgresql"
  $sudo apt-get update -qq >/dev/null
  # policy-rc.d-less containers may try to start the packaged cluster; we never use it, so that may fail quietly.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  bin_dir >/dev/null || { say "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"; return 1; }
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  install
  local bin dir password port attempt
  bin=$(bin_dir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/bitten-pg.XXXXXX")
  chmod 0700 "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    getent passwd postgres >/dev/null || { say "no postgres user (the postgresql package creates it)"; rm -rf "$dir"; return 1; }
    chown postgres: "$dir"
  fi
  password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  as_owner sh -c "umask 077; printf '%s\n' '$password' > '$dir/pwfile'"

  # The bootstrap superuser is 'bitten' with a password (scram over TCP), as a real server's would be; trust on
  # the unix socket only, which lives inside the 0700-owned cluster dir. -N: no fsync, the cluster is disposable.
  if ! (cd "$dir" && as_owner "$bin/initdb" -D "$dir/data" -U bitten --pwfile="$dir/pwfile" --auth-host=scram-sha-256 \
      --auth-local=trust --no-locale -E UTF8 -N >"$dir/initdb.log" 2>&1); then
    say "initdb failed:"; cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1
  fi
  rm -f "$dir/pwfile"
  local listen="${BITTEN_PG_LISTEN:-127.0.0.1}"
  if [[ "$listen" != 127.0.0.1 ]]; then
    as_owner sh -c "echo 'host all all samenet scram-sha-256' >> '$dir/data/pg_hba.conf'"
  fi

  # A free port can be taken between choosing and binding it (other runs on this machine): try a few.
  for attempt in 1 2 3; do
    port=$(free_port)
    if (cd "$dir" && as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -s \
        -o "-c listen_addresses=$listen -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >&2); then
      printf "export BITTEN_TEST_PG='Host=%s;Port=%s;Username=bitten;Password=%s;Database=postgres'\n" "$listen" "$port" "$password"
      printf "export BITTEN_PG_DIR='%s'\n" "$dir"
      say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $listen:$port ($dir)"
      return 0
    fi
    say "start on port $port failed (attempt $attempt):"; tail -n 5 "$dir/server.log" >&2 || true
  done
  rm -rf "$dir"
  return 1
}

stop() {
  local dir="${1:-${BITTEN_PG_DIR:-}}"
  [[ -n "$dir" ]] || { say "stop: no dir given and BITTEN_PG_DIR unset"; return 1; }
  # Only ever a dir this script made: never rm -rf something else handed in by mistake.
  [[ "$(basename "$dir")" == bitten-pg.* ]] || { say "stop: '$dir' is not a dir made by postgres.sh start"; return 1; }
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    local bin
    bin=$(bin_dir)
    (cd "$dir" && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -s stop >&2) || say "stop: pg_ctl stop failed"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: scripts/postgres.sh start|stop [DIR]" >&2; exit 2 ;;
esac
