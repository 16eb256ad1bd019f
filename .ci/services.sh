#!/usr/bin/env bash
# Make sure the real PostgreSQL and MariaDB servers the tests use are up, starting them if needed.
set -uo pipefail

wait_for() { # name, probe command...
    local name=$1; shift
    for _ in $(seq 1 60); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 1
    done
    echo "services: $name did not come up" >&2
    return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
    echo "services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432 || exit 1
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" >/dev/null

if ! mysqladmin -h 127.0.0.1 -P 3306 -uroot status >/dev/null 2>&1; then
    echo "services: starting MariaDB"
    # --pidfile: private test servers (tests/backends/servers.py) run mariadbd too; without it
    # start-stop-daemon would take one of them for this server and start nothing.
    start-stop-daemon --start --oknodo --background --pidfile /run/mysqld/mysqld.pid \
        --exec /usr/sbin/mariadbd || true
fi
wait_for MariaDB mysqladmin -h 127.0.0.1 -P 3306 -uroot status || exit 1
mysql -h 127.0.0.1 -uroot -e "CREATE DATABASE IF NOT EXISTS test" >/dev/null
echo "services: PostgreSQL and MariaDB are up"
