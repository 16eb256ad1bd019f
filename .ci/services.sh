#!/usr/bin/env bash
# Make sure the real PostgreSQL and MariaDB servers the tests use are up, starting them if needed,
# with the database `test` and each database named on the command line (the concurrent runs of
# `make test` each use their own, FERRULE_TEST_DBNAME: tests/sql's tables have fixed names).
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
for db in test "$@"; do
    psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
        || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" >/dev/null || exit 1
done

if ! mysqladmin -h 127.0.0.1 -P 3306 -uroot status >/dev/null 2>&1; then
    echo "services: starting MariaDB"
    # --pidfile: private test servers (tests/backends/servers.py) run mariadbd too; without it
    # start-stop-daemon would take one of them for this server and start nothing.
    start-stop-daemon --start --oknodo --background --pidfile /run/mysqld/mysqld.pid \
        --exec /usr/sbin/mariadbd || true
fi
wait_for MariaDB mysqladmin -h 127.0.0.1 -P 3306 -uroot status || exit 1
for db in test "$@"; do
    mysql -h 127.0.0.1 -uroot -e "CREATE DATABASE IF NOT EXISTS $db" >/dev/null || exit 1
done
echo "services: PostgreSQL and MariaDB are up"
