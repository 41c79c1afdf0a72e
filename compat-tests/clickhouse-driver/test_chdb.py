"""chdb (ClickHouse itself, in-process) reaching Hadron through the remote() table function:
a modern ClickHouse's own native-protocol client code, reading and inserting."""
import json
import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest

from conftest import http_query, modern_only, tcp_port

try:
    import chdb
    CHDB_ERROR = None
except Exception as e:  # noqa: BLE001 - reported by every test below, never skipped
    chdb = None
    CHDB_ERROR = f"chdb could not be imported: {e!r}"


# chdb 26.x sends the setting `dialect` with every remote query, which 18.16 rejects (code 115).
pytestmark = modern_only("settings a ClickHouse 26 client sends (dialect)")


# chdb 4.4 (ClickHouse 26) writes 64-bit integers in JSON unquoted by default.
def chq(sql, fmt="JSONCompact"):
    if chdb is None:
        pytest.fail(CHDB_ERROR)
    res = chdb.query(sql, fmt)
    err = res.error_message() if hasattr(res, "error_message") else None
    if err:
        raise RuntimeError(err)
    return res.bytes().decode()


def remote(db, table):
    return f"remote('127.0.0.1:{tcp_port()}', {db}, {table}, 'default', '')"


@pytest.fixture(scope="module")
def basic_table(admin, db):
    name = "chdb_basic"
    admin.execute(f"CREATE TABLE {db}.{name} (id UInt64, i Int32, f Float64, s String, ns Nullable(String), "
                  "d Date, dt DateTime('UTC'), a Array(Int32), dec Decimal(10, 2), u UUID, "
                  "e Enum8('x' = 1, 'y' = 2)) ENGINE = MergeTree ORDER BY id")
    admin.execute(f"INSERT INTO {db}.{name} VALUES", [
        (1, -5, 1.5, "héllo", None, date(2024, 2, 29),
         datetime(2024, 2, 29, 12, 0, 0), [1, 2, 3],
         Decimal("12.34"), uuid.UUID("61f0c404-5cb3-11e7-907b-a6006ad3dba0"), "x"),
        (2, 7, -0.25, "", "n", date(1970, 1, 1),
         datetime(1970, 1, 1, 0, 0, 1), [],
         Decimal("-0.01"), uuid.UUID(int=0), "y"),
    ])
    return name


def test_chdb_select_remote(db, basic_table):
    out = json.loads(chq(f"SELECT id, i, f, s, ns, d, dt, a, dec, u, e FROM {remote(db, basic_table)} ORDER BY id"))
    assert [c["type"] for c in out["meta"]] == [
        "UInt64", "Int32", "Float64", "String", "Nullable(String)", "Date", "DateTime('UTC')", "Array(Int32)",
        "Decimal(10, 2)", "UUID", "Enum8('x' = 1, 'y' = 2)"]
    assert out["data"] == [
        [1, -5, 1.5, "héllo", None, "2024-02-29", "2024-02-29 12:00:00", [1, 2, 3], 12.34,
         "61f0c404-5cb3-11e7-907b-a6006ad3dba0", "x"],
        [2, 7, -0.25, "", "n", "1970-01-01", "1970-01-01 00:00:01", [], -0.01,
         "00000000-0000-0000-0000-000000000000", "y"],
    ]


def test_chdb_aggregate_pushdown(db, basic_table):
    out = json.loads(chq(f"SELECT count(), sum(i), max(s) FROM {remote(db, basic_table)} WHERE id >= 1"))
    assert out["data"] == [[2, 2, "héllo"]]


def test_chdb_remote_query_expression(db, basic_table):
    # remote() over system tables and numbers: the remote end runs a full SELECT
    out = json.loads(chq(f"SELECT sum(number) FROM remote('127.0.0.1:{tcp_port()}', system, numbers) "
                         "WHERE number < 100000 SETTINGS max_block_size = 1000"))
    assert out["data"] == [[4999950000]]


def test_chdb_insert_into_function_remote(admin, db):
    admin.execute(f"CREATE TABLE {db}.chdb_ins (id UInt32, s String, n Nullable(Int64), a Array(String), "
                  "d DateTime('UTC')) ENGINE = MergeTree ORDER BY id")
    chq(f"INSERT INTO FUNCTION {remote(db, 'chdb_ins')} VALUES "
        "(1, 'a', NULL, ['x', 'y'], '2024-01-02 03:04:05'), (2, 'b\\'q', -9, [], '1970-01-01 00:00:00')")
    chq(f"INSERT INTO FUNCTION {remote(db, 'chdb_ins')} SELECT number + 10, toString(number), number, [], "
        "toDateTime('2000-01-01 00:00:00', 'UTC') FROM numbers(1000)")
    assert http_query(f"SELECT count(), sum(id), countIf(n IS NULL) FROM {db}.chdb_ins") == \
        f"1002\t{3 + sum(range(10, 1010))}\t1\n"
    assert http_query(f"SELECT id, s, n, a, d FROM {db}.chdb_ins WHERE id < 10 ORDER BY id") == \
        "1\ta\t\\N\t['x','y']\t2024-01-02 03:04:05\n2\tb\\'q\t-9\t[]\t1970-01-01 00:00:00\n"
    # and read back through remote() too
    out = json.loads(chq(f"SELECT count() FROM {remote(db, 'chdb_ins')}"))
    assert out["data"] == [[1002]]


@modern_only("Map, LowCardinality by default, IPv4/IPv6, DateTime64, Bool or Int128")
def test_chdb_modern_types(admin, db):
    admin.execute(f"CREATE TABLE {db}.chdb_modern (id UInt8, m Map(String, UInt32), lc LowCardinality(String), "
                  "ip4 IPv4, ip6 IPv6, t64 DateTime64(3, 'UTC'), b Bool, big Int128, d32 Date32) "
                  "ENGINE = MergeTree ORDER BY id")
    chq(f"INSERT INTO FUNCTION {remote(db, 'chdb_modern')} VALUES "
        "(1, {'a': 1, 'b': 2}, 'lc', '10.0.0.1', '2001:db8::1', '2024-02-29 12:34:56.789', true, "
        "-170141183460469231731687303715884105728, '1900-01-01')")
    out = json.loads(chq(f"SELECT id, m, lc, ip4, ip6, t64, b, big, d32 FROM {remote(db, 'chdb_modern')}"))
    assert out["data"] == [[1, {"a": 1, "b": 2}, "lc", "10.0.0.1", "2001:db8::1", "2024-02-29 12:34:56.789",
                            True, -170141183460469231731687303715884105728, "1900-01-01"]]
    assert http_query(f"SELECT m['b'], toString(ip4), b FROM {db}.chdb_modern") == "2\t10.0.0.1\ttrue\n"


def test_chdb_remote_error(db):
    with pytest.raises(RuntimeError) as e:
        chq(f"SELECT * FROM {remote(db, 'no_such_table_xyz')}")
    assert "60" in str(e.value) or "UNKNOWN_TABLE" in str(e.value) or "doesn't exist" in str(e.value)
