"""psycopg 3 against Hadron's Postgres port (COMPAT_POSTGRES_PORT), user pguser with a password."""
import datetime
import decimal
import os
import uuid

import psycopg
import pytest


def connect(**kw):
    port = os.environ.get("COMPAT_POSTGRES_PORT")
    if not port:
        raise RuntimeError("COMPAT_POSTGRES_PORT is not set: run compat-tests/postgres/run.sh")
    return psycopg.connect(host="127.0.0.1", port=int(port), user="pguser", password="pgpass", dbname="default", **kw)


@pytest.fixture(scope="module")
def conn():
    c = connect(autocommit=True)
    c.execute("DROP TABLE IF EXISTS py_t")
    c.execute("CREATE TABLE py_t (id Int32, name String, score Nullable(Float64), day Date, at DateTime64(6), flag Bool, big Int64, u UUID, amount Decimal(12, 3)) ENGINE = MergeTree ORDER BY id")
    yield c
    c.close()


ROWS = [
    (1, "one", 1.5, datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4, 5, 123456), True, 9000000000, uuid.UUID("123e4567-e89b-12d3-a456-426614174000"), decimal.Decimal("1.250")),
    (2, "two's", None, datetime.date(2024, 2, 3), datetime.datetime(2024, 2, 3, 4, 5, 6), False, -7, uuid.UUID("00000000-0000-0000-0000-000000000002"), decimal.Decimal("-2.500")),
]


def test_executemany_text_parameters(conn):
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO py_t (id, name, score, day, at, flag, big, u, amount) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", ROWS)
    rows = conn.execute("SELECT id, name, score, day, at, flag, big, u, amount FROM py_t ORDER BY id").fetchall()
    assert rows == ROWS


def test_parameterised_query_text(conn):
    row = conn.execute("SELECT name, big FROM py_t WHERE id = %s AND name = %s", (2, "two's")).fetchone()
    assert row == ("two's", -7)


def test_parameterised_query_binary(conn):
    with conn.cursor(binary=True) as cur:
        cur.execute("SELECT id, name, score, day, flag, big, u, amount FROM py_t WHERE id >= %b AND score IS NULL", (2,))
        assert cur.fetchall() == [(2, "two's", None, datetime.date(2024, 2, 3), False, -7, uuid.UUID("00000000-0000-0000-0000-000000000002"), decimal.Decimal("-2.500"))]


def test_binary_parameters_of_each_type(conn):
    with conn.cursor() as cur:
        cur.execute(
            "SELECT %b::Int64 + 1, %b, %b, %b, %b::Float64 * 2, %b",
            (41, "text", True, datetime.date(2024, 5, 6), 1.25, uuid.UUID("123e4567-e89b-12d3-a456-426614174000")),
        )
        assert cur.fetchone() == (42, "text", True, datetime.date(2024, 5, 6), 2.5, uuid.UUID("123e4567-e89b-12d3-a456-426614174000"))


def test_server_side_cursor_in_batches():
    with connect() as c:
        with c.cursor(name="big_cursor") as cur:
            cur.itersize = 1000
            cur.execute("SELECT number FROM numbers(25000)")
            total = 0
            n = 0
            for (v,) in cur:
                total += v
                n += 1
            assert (n, total) == (25000, sum(range(25000)))
        with c.cursor(name="batches") as cur:
            cur.execute("SELECT number FROM numbers(10)")
            assert cur.fetchmany(4) == [(0,), (1,), (2,), (3,)]
            assert cur.fetchmany(4) == [(4,), (5,), (6,), (7,)]
            assert cur.fetchall() == [(8,), (9,)]


def test_copy_out(conn):
    with conn.cursor() as cur:
        with cur.copy("COPY (SELECT id, name FROM py_t ORDER BY id) TO STDOUT") as copy:
            rows = list(copy.rows())
    assert rows == [("1", "one"), ("2", "two's")]


def test_copy_in(conn):
    conn.execute("DROP TABLE IF EXISTS py_copy")
    conn.execute("CREATE TABLE py_copy (id Int32, name Nullable(String), d Date) ENGINE = MergeTree ORDER BY id")
    with conn.cursor() as cur:
        with cur.copy("COPY py_copy (id, name, d) FROM STDIN") as copy:
            for i in range(1000):
                copy.write_row((i, None if i % 10 == 0 else f"name\t{i}", datetime.date(2024, 1, 1)))
    got = conn.execute("SELECT count(), countIf(name IS NULL), max(name) FROM py_copy").fetchone()
    assert got == (1000, 100, "name\t999")


def test_error_sqlstate(conn):
    with pytest.raises(psycopg.errors.UndefinedTable):
        conn.execute("SELECT * FROM no_such_table")
    with pytest.raises(psycopg.errors.SyntaxError):
        conn.execute("SELEC 1")
    assert conn.execute("SELECT 1").fetchone() == (1,)


def test_transactions_and_server_version():
    with connect() as c:
        assert c.info.server_version >= 140000
        c.execute("SELECT 1")
        c.commit()
        c.execute("SELECT 2")
        c.rollback()


def _wait_until(cond, what, timeout):
    import time
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


def test_streaming_query_rows_arrive_as_inserted(conn):
    """cursor.stream() (single-row mode) over an unbounded `SELECT count() FROM stream`: each INSERT's new
    count arrives before the next INSERT is sent; Connection.cancel() (CancelRequest) ends it with 57014."""
    import threading
    import time
    stream = f"py_stream_{uuid.uuid4().hex[:8]}"
    conn.execute(f"CREATE STREAM {stream} (x Int32)")
    reader = connect(autocommit=True)
    counts, times, outcome = [], [], {}

    def consume():
        try:
            for (n,) in reader.cursor().stream(f"SELECT count() FROM {stream} EMIT PERIODIC 100ms SETTINGS query_mode = 'streaming'"):
                counts.append(int(n))
                times.append(time.monotonic())
            outcome["end"] = "finished"
        except psycopg.Error as e:
            outcome["end"] = e

    t = threading.Thread(target=consume, daemon=True)
    t.start()
    try:
        # The client cannot see when its query subscribed to the stream: one row at a time until a count arrives.
        deadline = time.monotonic() + 30
        while not counts:
            assert "end" not in outcome, f"the query ended early: {outcome['end']!r}"
            assert time.monotonic() < deadline, "no count arrived after INSERTs for 30 s"
            conn.execute(f"INSERT INTO {stream} (x) VALUES (1)")
            start = time.monotonic()
            while not counts and time.monotonic() - start < 3:
                time.sleep(0.005)
        expected = counts[-1]
        latencies = []
        for i in (1, 2, 3):
            seen = len(counts)
            conn.execute(f"INSERT INTO {stream} (x) SELECT number FROM numbers({i * 10})")
            acked = time.monotonic()
            expected += i * 10
            _wait_until(lambda: counts and counts[-1] == expected, f"count {expected} before the next INSERT (got {counts[-5:]})", 5)
            latencies.append(round((times[counts.index(expected, seen)] - acked) * 1000))
        print(f"\n      psycopg cursor.stream(): INSERT acknowledged -> count received in {' / '.join(map(str, latencies))} ms")
        reader.cancel()
        t.join(15)
        assert not t.is_alive(), "the stream did not end after Connection.cancel()"
        assert isinstance(outcome.get("end"), psycopg.errors.QueryCanceled), outcome
        assert reader.execute("SELECT 1").fetchone() == (1,)
    finally:
        reader.close()
        t.join(5)
