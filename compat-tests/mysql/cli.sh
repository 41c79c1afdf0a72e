#!/usr/bin/env bash
# The mysql / mariadb command-line client against COMPAT_MYSQL_PORT: prints PASS / FAIL lines.
set -uo pipefail
port="${COMPAT_MYSQL_PORT:-}"
if [ -z "$port" ]; then echo "skip  mysql-cli: the server has no MySQL port"; exit 0; fi
if ! command -v mysql >/dev/null 2>&1; then echo "skip  mysql-cli: no mysql client installed"; exit 0; fi
db="cli_$$"
m() { mysql -h127.0.0.1 -P"$port" -udefault --batch "$@" 2>&1; }

# check NAME EXPECTED ARGS...: the client's output (stdout + stderr) must contain EXPECTED (a fixed string);
# an empty EXPECTED means the statement must succeed (no ERROR line).
check() {
  local name="$1" expected="$2"; shift 2
  local out
  out="$(m "$@")"
  if { [ -z "$expected" ] && ! grep -q '^ERROR' <<<"$out"; } || { [ -n "$expected" ] && grep -qF -- "$expected" <<<"$out"; }; then
    echo "PASS  mysql-cli: $name"
  else
    echo "FAIL  mysql-cli: $name"
    echo "      expected to find: $expected"
    sed 's/^/      | /' <<<"$out" | head -20
  fi
}

check "server version and comment" "Hadron" -e 'select @@version_comment limit 1'
check "status command (COM_STATISTICS, DATABASE(), USER())" "Uptime:" -e 'status'
check "SHOW DATABASES" "default" -e 'SHOW DATABASES'
check "CREATE DATABASE" "" -e "CREATE DATABASE $db"
check "USE and SHOW TABLES" "Tables_in_$db
t" -e "USE $db; CREATE TABLE t (id Int32, i8 Int8, u64 UInt64, f Float64, d Decimal(10,2), s String, day Date, at DateTime, at3 DateTime64(3), n Nullable(Int32), e Enum8('a' = 1, 'b' = 2), b Bool, arr Array(String), u UUID) ENGINE = MergeTree ORDER BY id; SHOW TABLES"
check "DESCRIBE" "d	Decimal(10, 2)" -D "$db" -e 'DESCRIBE t'
check "SHOW COLUMNS with MySQL types" "u64	bigint unsigned	NO" -D "$db" -e 'SHOW COLUMNS FROM t'
check "INSERT" "" -D "$db" -e "INSERT INTO t VALUES (1, -8, 18446744073709551615, 1.5, 12.34, 'héllo\\tworld', '2024-02-29', '2024-01-02 03:04:05', '2024-01-02 03:04:05.678', NULL, 'b', true, ['x','y'], '61f0c404-5cb3-11e7-907b-a6006ad3dba0')"
check "SELECT every type" "1	-8	18446744073709551615	1.5	12.34	héllo\\tworld	2024-02-29	2024-01-02 03:04:05	2024-01-02 03:04:05.678	NULL	b	1	['x','y']	61f0c404-5cb3-11e7-907b-a6006ad3dba0" -D "$db" -e 'SELECT * FROM t'
check "table output" "| héllo	world" -D "$db" --table -e 'SELECT s FROM t'
check "vertical output" "u64: 18446744073709551615" -D "$db" -e 'SELECT * FROM t\G'
check "aggregate" "1	1.5" -D "$db" -e 'SELECT count(), sum(f) FROM t'
check "unknown table error" "ERROR 1146 (42S02)" -D "$db" -e 'SELECT * FROM nosuch'
check "syntax error" "ERROR 1064 (42000)" -e 'SELEC 1'
check "unknown column error" "ERROR 1054 (42S22)" -D "$db" -e 'SELECT nosuch FROM t'
check "unknown database error" "ERROR 1049 (42000)" -e 'USE no_such_database_here'
check "error text carries the ClickHouse code" "Code: 60. DB::Exception" -D "$db" -e 'SELECT * FROM nosuch'
check "unknown database at connect" "ERROR 1049" -D no_such_database_here -e 'SELECT 1'
check "SET and @@ variables" "0	utf8mb4" -e 'SET NAMES utf8mb4; SET autocommit = 0; SELECT @@autocommit, @@character_set_client'
check "SHOW VARIABLES LIKE" "max_allowed_packet	67108864" -e "SHOW VARIABLES LIKE 'max_allowed_packet'"
check "SHOW TABLE STATUS" "t	MergeTree" -D "$db" -e 'SHOW TABLE STATUS'
check "information_schema" "t	BASE TABLE" -e "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = '$db'"
check "connect with a database (-D)" "42" -D "$db" -e 'SELECT 42'
check "bad password is refused" "ERROR 1045 (28000)" -pwrong -e 'SELECT 1'
check "mysql_native_password user" "alice" -ualice -psecret -e 'SELECT currentUser()'
check "caching_sha2_password user (SHA-256 only, AuthSwitchRequest)" "bob" -ubob -phunter2 -e 'SELECT currentUser()'
check "caching_sha2_password as the client's default plugin" "alice" -ualice -psecret --default-auth=caching_sha2_password -e 'SELECT currentUser()'
check "wrong password of a SHA-256 user" "ERROR 1045 (28000)" -ubob -phunter3 -e 'SELECT 1'

# A streaming query read with --quick (rows as they arrive; stdbuf makes the client's stdout line-buffered):
# each INSERT's new count must be printed before the next INSERT is sent; KILL QUERY ends it with ERROR 1317.
stream_check() {
  local name="mysql-cli: --quick prints a streaming count as INSERTs arrive; KILL QUERY ends it with 1317"
  local out err stream="$db.cli_stream" expected last fail="" lat=() t0 deadline pid id
  out="$(mktemp)"; err="$(mktemp)"
  m -e "CREATE STREAM $stream (x Int32)" >/dev/null
  stdbuf -oL mysql -h127.0.0.1 -P"$port" -udefault --quick --batch --skip-column-names \
    -e "SELECT count() FROM $stream EMIT PERIODIC 100ms SETTINGS query_mode = 'streaming'" >"$out" 2>"$err" &
  pid=$!
  now_ms() { date +%s%3N; }
  last_count() { grep -E '^[0-9]+$' "$out" | tail -1; }
  # the client cannot see when its query subscribed: one row at a time until a count is printed
  deadline=$(( $(now_ms) + 30000 ))
  while [ -z "$(last_count)" ] && [ -z "$fail" ]; do
    [ "$(now_ms)" -gt "$deadline" ] && fail="no count printed after INSERTs for 30 s"
    kill -0 "$pid" 2>/dev/null || fail="the client exited: $(cat "$err")"
    m -e "INSERT INTO $stream (x) VALUES (1)" >/dev/null
    t0=$(( $(now_ms) + 3000 ))
    while [ -z "$(last_count)" ] && [ "$(now_ms)" -lt "$t0" ]; do sleep 0.01; done
  done
  expected="$(last_count)"
  for i in 1 2 3; do
    [ -n "$fail" ] && break
    m -e "INSERT INTO $stream (x) SELECT number FROM numbers($((i * 10)))" >/dev/null
    t0=$(now_ms)
    expected=$((expected + i * 10))
    deadline=$((t0 + 5000))
    while [ "$(last_count)" != "$expected" ]; do
      if [ "$(now_ms)" -gt "$deadline" ]; then fail="count $expected not printed before the next INSERT (last: $(last_count))"; break; fi
      sleep 0.005
    done
    lat+=("$(( $(now_ms) - t0 ))")
  done
  if [ -z "$fail" ]; then
    echo "      mysql --quick: INSERT acknowledged -> count printed in ${lat[0]} / ${lat[1]} / ${lat[2]} ms"
    id="$(m -N -e 'SHOW PROCESSLIST' | grep -F "FROM $stream EMIT" | cut -f1 | head -1)"
    if [ -z "$id" ]; then fail="the query is not in SHOW PROCESSLIST"; else m -e "KILL QUERY $id" >/dev/null; fi
    deadline=$(( $(now_ms) + 10000 ))
    while [ -z "$fail" ] && kill -0 "$pid" 2>/dev/null; do
      [ "$(now_ms)" -gt "$deadline" ] && fail="the client did not end after KILL QUERY $id"
      sleep 0.01
    done
    [ -z "$fail" ] && ! grep -q "ERROR 1317" "$err" && fail="no ERROR 1317 after KILL QUERY: $(cat "$err")"
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  if [ -z "$fail" ]; then echo "PASS  $name"; else echo "FAIL  $name"; echo "      $fail"; fi
  rm -f "$out" "$err"
}
stream_check

check "DROP DATABASE" "" -e "DROP DATABASE $db"
