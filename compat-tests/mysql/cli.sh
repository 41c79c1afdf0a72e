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
check "DROP DATABASE" "" -e "DROP DATABASE $db"
