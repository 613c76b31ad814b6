#!/usr/bin/env bash
# Server CPU per operation of Redis and MariaDB on this machine (docs/scaling.md): a private redis-server and
# a private mariadbd (temp dirs, spare ports; the machine's own servers are not touched), loaded with
# redis-benchmark and mysqlslap; each server's CPU time (utime + stime from /proc) over the run divided by the
# operations it served. CPU per operation holds on a busy machine where ops/s does not (as in bench/RESULTS.md).
#   bash bench/engine-cpu.sh
set -euo pipefail
dir=$(mktemp -d /tmp/ms-engine-cpu-XXXX)
redis_pid=''
db_pid=''
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  [ -n "$db_pid" ] && kill "$db_pid" 2>/dev/null || true
  sleep 1
  rm -rf "$dir"
}
trap cleanup EXIT

cpu_ms() { # utime + stime of a pid, in ms (USER_HZ = 100)
  awk '{ print ($14 + $15) * 10 }' "/proc/$1/stat"
}
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
per_op() { # label, cpu ms, ops
  awk -v l="$1" -v ms="$2" -v n="$3" 'BEGIN { printf "%s: %d ops, %.1f µs server CPU per op\n", l, n, ms * 1000 / n }'
}

# Redis: GET, SET, PUBLISH (no subscribers) and a one-key EVAL (the rate limiter's shape), 50 connections.
rport=$(port)
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >/dev/null 2>&1 &
redis_pid=$!
until redis-cli -p "$rport" ping >/dev/null 2>&1; do sleep 0.1; done
for test in get set; do
  before=$(cpu_ms "$redis_pid")
  redis-benchmark -p "$rport" -t "$test" -n 200000 -c 50 --csv >/dev/null
  per_op "redis $test" $(($(cpu_ms "$redis_pid") - before)) 200000
done
before=$(cpu_ms "$redis_pid")
redis-benchmark -p "$rport" -n 200000 -c 50 --csv publish ms:near-cache:invalidate '{"keys":["x"]}' >/dev/null
per_op "redis publish (no subscriber)" $(($(cpu_ms "$redis_pid") - before)) 200000
before=$(cpu_ms "$redis_pid")
redis-benchmark -p "$rport" -n 100000 -c 50 --csv \
  eval "local c = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], 60000) return c" 1 'rl:__rand_int__' >/dev/null
per_op "redis eval (INCR + PEXPIRE)" $(($(cpu_ms "$redis_pid") - before)) 100000

# MariaDB: primary-key SELECT and autocommit single-row UPDATE (durable: fsync per commit), 16 connections.
mariadb-install-db --no-defaults --datadir="$dir/db" --auth-root-authentication-method=normal --skip-test-db \
  $([ "$(id -u)" = 0 ] && echo --user=root) >/dev/null 2>&1
dport=$(port)
/usr/sbin/mariadbd --no-defaults $([ "$(id -u)" = 0 ] && echo --user=root) --datadir="$dir/db" --port="$dport" \
  --bind-address=127.0.0.1 --socket="$dir/db.sock" --innodb-buffer-pool-size=256M >"$dir/db.log" 2>&1 &
db_pid=$!
until mariadb -S "$dir/db.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; do sleep 0.2; done
mariadb -S "$dir/db.sock" -uroot -e "CREATE DATABASE slap; USE slap; CREATE TABLE slap.t (id BINARY(16) PRIMARY KEY,
  sku VARCHAR(64), name VARCHAR(200), price_cents INT, on_hand INT);
  INSERT INTO slap.t SELECT UNHEX(MD5(seq)), CONCAT('SKU-', seq), CONCAT('Product ', seq), seq % 10000, 100
  FROM seq_1_to_100000;"
slap() { # label, statements, the query (SET @k; then one statement)
  before=$(cpu_ms "$db_pid")
  mysqlslap -S "$dir/db.sock" -uroot --create-schema=slap --concurrency=16 --iterations=1 \
    --number-of-queries="$2" --delimiter=';' --query="SET @k = UNHEX(MD5(FLOOR(1 + RAND() * 100000)));$3" >/dev/null
  # Half the statements are the SET (parsed, no table access): counted as operations too, so this is a bound.
  per_op "$1" $(($(cpu_ms "$db_pid") - before)) $(($2 / 2))
}
slap "mariadb pk select (incl. its SET)" 40000 'SELECT id, sku, name, price_cents, on_hand FROM t WHERE id = @k'
slap "mariadb autocommit pk update (incl. its SET)" 8000 'UPDATE t SET on_hand = on_hand + 1 WHERE id = @k'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
