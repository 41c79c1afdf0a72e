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
