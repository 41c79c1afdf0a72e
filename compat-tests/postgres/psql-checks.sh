#!/usr/bin/env bash
# psql (the real client, with a password) against Hadron's Postgres port; prints `N passed, N failed, 0 skipped`.
set -uo pipefail
export PGHOST=127.0.0.1 PGPORT="${COMPAT_POSTGRES_PORT:?run compat-tests/postgres/run.sh}" PGUSER=pguser PGPASSWORD=pgpass PGDATABASE=default
export PGCONNECT_TIMEOUT=10 PSQLRC=/dev/null
passed=0
failed=0

# check NAME REGEX CMD...: passes when the command's output (stdout+stderr) matches the extended regex.
check() {
  local name="$1" want="$2"
  shift 2
  local out
  out="$("$@" 2>&1)"
  if grep -qE -- "$want" <<<"$out"; then
    passed=$((passed + 1))
    echo "ok    $name"
  else
    failed=$((failed + 1))
    echo "FAIL  $name: wanted /$want/, got:"
    sed 's/^/        /' <<<"$out" | head -40
  fi
}

q() { psql -X -v ON_ERROR_STOP=1 "$@"; }

check 'CREATE STREAM' '^CREATE TABLE$' q -c 'CREATE STREAM psql_s (id int32, msg string, v float64)'
check 'INSERT' '^INSERT 0 2$' q -c "INSERT INTO psql_s (id, msg, v) VALUES (1, 'hello', 1.5), (2, 'world', 2.5)"
check '\l lists databases' '^ default +\| pguser +\| UTF8' q -c '\l'
check '\dn lists schemas' '^ public +\|' q -c '\dn'
check '\dt lists the stream' '^ public +\| psql_s +\| table +\| pguser' q -c '\dt'
check '\d stream_name: title' 'Table "public\.psql_s"' q -c '\d psql_s'
check '\d stream_name: columns' ' id +\| integer +\| +\| not null \|.*
 msg +\| text +\|.*
 v +\| double precision' q -c '\d psql_s'
check '\d+ stream_name' 'Access method: heap' q -c '\d+ psql_s'
check '\df' 'List of functions' q -c '\df'
check '\dt+ (sizes, access method)' '^ public +\| psql_s +\| table +\| pguser +\| permanent +\| heap +\| [0-9]+ (bytes|kB)' q -c '\dt+'
check '\du lists users' '^ pguser +\|' q -c '\du'
check '\dx' 'List of installed extensions' q -c '\dx'
check 'SELECT of every type (aligned)' '^ -1 \| 18446744073709551615 \| 1\.5 \| x \| t \| 2024-01-02 \| 2024-01-02 03:04:05 \| 123e4567-e89b-12d3-a456-426614174000 \| \{1,2\} \| 12\.50 \| +$' \
  q -c "SELECT toInt8(-1) AS a, toUInt64(18446744073709551615) AS b, toFloat32(1.5) AS c, 'x' AS d, true AS e, toDate('2024-01-02') AS f, toDateTime('2024-01-02 03:04:05') AS g, toUUID('123e4567-e89b-12d3-a456-426614174000') AS h, [1, 2] AS i, toDecimal32(12.5, 2) AS j, NULL AS k"
check 'SELECT from the stream' '^1\|hello\|1\.5
2\|world\|2\.5$' q -A -t -c 'SELECT id, msg, v FROM table(psql_s) ORDER BY id'
check 'an error shows its SQLSTATE' 'ERROR:  42P01: ' psql -X -v VERBOSITY=verbose -c 'SELECT * FROM no_such_table'
check 'a syntax error shows 42601' 'ERROR:  42601: ' psql -X -v VERBOSITY=verbose -c 'SELEC 1'
check 'wrong password is refused' 'password authentication failed for user "pguser"' env PGPASSWORD=wrong psql -X -c 'SELECT 1'
check '\copy (SELECT …) TO STDOUT CSV' '^1,hello
2,world$' q -c '\copy (SELECT id, msg FROM table(psql_s) ORDER BY id) TO STDOUT CSV'
check '\copy … FROM STDIN CSV' '^COPY 3$' bash -c "printf '3,three,3.5\n4,\"four, quoted\",4.5\n5,five,\n' | psql -X -v ON_ERROR_STOP=1 -c '\copy psql_s (id, msg, v) FROM STDIN CSV'"
check 'rows copied in are readable' '^5$' q -A -t -c 'SELECT count() FROM table(psql_s)'

# Ctrl+C: psql sends a CancelRequest for the running query; the query must stop on the server.
cancel_out="$(timeout -s INT 3 psql -X -c 'SELECT count() FROM numbers(10000000000)' 2>&1)"
if grep -qiE 'cancel' <<<"$cancel_out"; then
  gone=0
  for _ in $(seq 1 100); do
    n="$(psql -X -A -t -c "SELECT count() FROM system.processes WHERE query LIKE '%numbers(10000000000)%' AND query NOT LIKE '%system.processes%'" 2>&1)"
    if [ "$n" = "0" ]; then gone=1; break; fi
    sleep 0.1
  done
  if [ $gone -eq 1 ]; then passed=$((passed + 1)); echo "ok    Ctrl+C cancels a long query"; else failed=$((failed + 1)); echo "FAIL  Ctrl+C: the query is still running"; fi
else
  failed=$((failed + 1))
  echo "FAIL  Ctrl+C cancels a long query: $cancel_out"
fi
check 'the server still answers after the cancel' '^42$' q -A -t -c 'SELECT 42'

# A streaming query with FETCH_COUNT=1 (psql reads it through a cursor, FETCH FORWARD 1 at a time): each INSERT's
# new count must be printed before the next INSERT is sent; SIGINT (psql's CancelRequest) then ends it.
psql_stream_check() {
  local name="FETCH_COUNT=1 prints a streaming count as INSERTs arrive; Ctrl+C cancels it"
  local out stream="psql_stream_$$" expected fail="" lat=() t0 deadline pid
  out="$(mktemp)"
  q -c "CREATE STREAM $stream (x int32)" >/dev/null 2>&1
  # Postgres sessions read streams historically until they ask to stream (SET query_mode)
  psql -X -t -v FETCH_COUNT=1 -c "SET query_mode = 'streaming'" -c "SELECT count() FROM $stream EMIT PERIODIC 100ms" >"$out" 2>&1 &
  pid=$!
  now_ms() { date +%s%3N; }
  last_count() { grep -oE '^ *[0-9]+$' "$out" | tail -1 | tr -d ' '; }
  # the client cannot see when its query subscribed: one row at a time until a count is printed
  deadline=$(( $(now_ms) + 30000 ))
  while [ -z "$(last_count)" ] && [ -z "$fail" ]; do
    [ "$(now_ms)" -gt "$deadline" ] && fail="no count printed after INSERTs for 30 s: $(head -c 300 "$out")"
    kill -0 "$pid" 2>/dev/null || fail="psql exited: $(head -c 300 "$out")"
    q -c "INSERT INTO $stream (x) VALUES (1)" >/dev/null 2>&1
    t0=$(( $(now_ms) + 3000 ))
    while [ -z "$(last_count)" ] && [ "$(now_ms)" -lt "$t0" ]; do sleep 0.01; done
  done
  expected="$(last_count)"
  for i in 1 2 3; do
    [ -n "$fail" ] && break
    q -c "INSERT INTO $stream (x) SELECT number FROM numbers($((i * 10)))" >/dev/null 2>&1
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
    echo "      psql FETCH_COUNT=1: INSERT acknowledged -> count printed in ${lat[0]} / ${lat[1]} / ${lat[2]} ms"
    kill -INT "$pid"
    deadline=$(( $(now_ms) + 10000 ))
    while [ -z "$fail" ] && kill -0 "$pid" 2>/dev/null; do
      [ "$(now_ms)" -gt "$deadline" ] && fail="psql did not end after SIGINT"
      sleep 0.01
    done
    [ -z "$fail" ] && ! grep -qi "cancel" "$out" && fail="no cancel message: $(tail -c 300 "$out")"
  fi
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  if [ -z "$fail" ]; then passed=$((passed + 1)); echo "ok    $name"; else failed=$((failed + 1)); echo "FAIL  $name: $fail"; fi
  rm -f "$out"
}
psql_stream_check

echo "$passed passed, $failed failed, 0 skipped"
