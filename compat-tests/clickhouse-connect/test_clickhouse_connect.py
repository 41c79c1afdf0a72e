"""Drives the real clickhouse-connect (unmodified, from PyPI) against the server at
COMPAT_SERVER_URL. clickhouse-connect reads with `FORMAT Native` (compressed responses) and
inserts with `INSERT ... FORMAT Native` and `Content-Encoding: lz4` by default."""
import datetime as dt
import ipaddress
import math
import re
import struct
import uuid
from decimal import Decimal

import pandas as pd
import pytest
from clickhouse_connect.driver.exceptions import DatabaseError

UTC = dt.timezone.utc
N = 1_000_000

# name, declared type, canonical type name
ALL_TYPES = [
    ("i8", "Int8", "Int8"),
    ("i16", "Int16", "Int16"),
    ("i32", "Int32", "Int32"),
    ("i64", "Int64", "Int64"),
    ("i128", "Int128", "Int128"),
    ("i256", "Int256", "Int256"),
    ("u8", "UInt8", "UInt8"),
    ("u16", "UInt16", "UInt16"),
    ("u32", "UInt32", "UInt32"),
    ("u64", "UInt64", "UInt64"),
    ("u128", "UInt128", "UInt128"),
    ("u256", "UInt256", "UInt256"),
    ("f32", "Float32", "Float32"),
    ("f64", "Float64", "Float64"),
    ("d", "Decimal(18, 4)", "Decimal(18, 4)"),
    ("d32", "Decimal32(2)", "Decimal(9, 2)"),
    ("d64", "Decimal64(6)", "Decimal(18, 6)"),
    ("d128", "Decimal128(10)", "Decimal(38, 10)"),
    ("d256", "Decimal256(20)", "Decimal(76, 20)"),
    ("b", "Bool", "Bool"),
    ("s", "String", "String"),
    ("fs", "FixedString(4)", "FixedString(4)"),
    ("uuid", "UUID", "UUID"),
    ("dt", "Date", "Date"),
    ("d32t", "Date32", "Date32"),
    ("ts", "DateTime('UTC')", "DateTime('UTC')"),
    ("ts64", "DateTime64(3, 'UTC')", "DateTime64(3, 'UTC')"),
    ("e8", "Enum8('a' = 1, 'b' = 2)", "Enum8('a' = 1, 'b' = 2)"),
    # declared in value order: ClickHouse names enums with values sorted by value (test_enum_unsorted)
    ("e16", "Enum16('y' = -1000, 'x' = 1000)", "Enum16('y' = -1000, 'x' = 1000)"),
    ("ip4", "IPv4", "IPv4"),
    ("ip6", "IPv6", "IPv6"),
    ("ni", "Nullable(Int32)", "Nullable(Int32)"),
    ("ns", "Nullable(String)", "Nullable(String)"),
    ("lc", "LowCardinality(String)", "LowCardinality(String)"),
    ("ai", "Array(Int32)", "Array(Int32)"),
    ("as", "Array(String)", "Array(String)"),
    ("m", "Map(String, Int32)", "Map(String, Int32)"),
    ("t", "Tuple(a Int32, b String)", "Tuple(a Int32, b String)"),
    ("an", "Array(Nullable(Int32))", "Array(Nullable(Int32))"),
]

ROWS = [
    dict(
        i8=-5, i16=-300, i32=-70000, i64=-5000000000, i128=-170141183460469231731687303715884105,
        i256=-57896044618658097711785492504343953926634992332820282019728,
        u8=200, u16=60000, u32=4000000000, u64=10000000000000000000, u128=340282366920938463463374607431768211,
        u256=115792089237316195423570985008687907853269984665640564039457,
        f32=1.5, f64=math.pi,
        d=Decimal("12345.6789"), d32=Decimal("-1234567.89"), d64=Decimal("123456789012.345678"),
        d128=Decimal("1234567890123456789.0123456789"),
        d256=Decimal("-123456789012345678901234567890123456789.12345678901234567891"),
        b=True, s='héllo "wörld"\n\ttab\\back €', fs=b"abcd", uuid=uuid.UUID("61f0c404-5cb3-11e7-907b-a6006ad3dba0"),
        dt=dt.date(2024, 2, 29), d32t=dt.date(1950, 6, 15),
        ts=dt.datetime(2024, 2, 29, 12, 34, 56, tzinfo=UTC), ts64=dt.datetime(2024, 2, 29, 12, 34, 56, 789000, tzinfo=UTC),
        e8="b", e16="y", ip4=ipaddress.IPv4Address("192.168.1.1"), ip6=ipaddress.IPv6Address("2001:db8::1"),
        ni=42, ns="x", lc="low", ai=[1, 2, 3], **{"as": ["a", "", "c,d"]}, m={"a": 1, "b": -2}, t=(7, "seven"), an=[1, None, 3],
    ),
    dict(
        i8=-128, i16=-32768, i32=-2147483648, i64=-9223372036854775808, i128=-(2**127), i256=-(2**255),
        u8=255, u16=65535, u32=4294967295, u64=2**64 - 1, u128=2**128 - 1, u256=2**256 - 1,
        f32=-3.4028234663852886e38, f64=1.7976931348623157e308,
        d=Decimal("-99999999999999.9999"), d32=Decimal("9999999.99"), d64=Decimal("-999999999999.999999"),
        d128=Decimal("-9999999999999999999999999999.9999999999"), d256=Decimal("1.00000000000000000001"),
        b=False, s="", fs=b"wxyz", uuid=uuid.UUID(int=0),
        dt=dt.date(1970, 1, 1), d32t=dt.date(2299, 12, 31),
        ts=dt.datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC), ts64=dt.datetime(2100, 1, 1, 0, 0, 0, 1000, tzinfo=UTC),
        e8="a", e16="x", ip4=ipaddress.IPv4Address("0.0.0.0"), ip6=ipaddress.IPv6Address("::ffff:1.2.3.4"),
        ni=None, ns=None, lc="", ai=[], **{"as": []}, m={}, t=(-1, ""), an=[None],
    ),
]


def norm(col, v):
    """Compare values, not representations: the client may choose tuple vs dict, bytes vs
    str, IPv4Address vs IPv6Address for mapped addresses, naive vs aware datetimes."""
    if v is None:
        return None
    if col == "f32":
        return struct.unpack("<f", struct.pack("<f", v))[0]
    if col == "fs":
        return v.decode() if isinstance(v, (bytes, bytearray)) else v
    if col in ("ts", "ts64"):
        v = v if v.tzinfo else v.replace(tzinfo=UTC)
        return v.astimezone(UTC).isoformat()
    if col == "ip6":
        a = ipaddress.ip_address(v) if isinstance(v, str) else v
        if isinstance(a, ipaddress.IPv4Address):
            a = ipaddress.IPv6Address("::ffff:" + str(a))
        return str(a)
    if col == "ip4":
        return str(v)
    if col == "t":
        return list(v.values()) if isinstance(v, dict) else list(v)
    if col == "uuid":
        return str(v)
    return v  # Decimals compare exactly by value (Decimal("1.50") == Decimal("1.5"))


@pytest.fixture(scope="module")
def all_types_table(client, db):
    name = f"{db}.all_types"
    cols = ", ".join(f"`{n}` {t}" for n, t, _ in ALL_TYPES)
    client.command(f"CREATE TABLE {name} (k UInt8, {cols}) ENGINE = MergeTree ORDER BY k")
    return name


@pytest.fixture(scope="module")
def bulk_table(client, db):
    name = f"{db}.bulk"
    client.command(f"CREATE TABLE {name} (id UInt64, name String, value Float64) ENGINE = MergeTree ORDER BY id")
    ids = list(range(N))
    client.insert(name, [ids, [f"name_{i}" for i in ids], [i / 4 for i in ids]], column_names=["id", "name", "value"], column_oriented=True)
    return name


# ------------------------------------------------------------------ connection and metadata
def test_server_version_detected(client):
    assert client.server_version, "server_version not detected"
    assert re.match(r"^\d+\.\d+", client.server_version), client.server_version
    assert client.command("SELECT version()") == client.server_version
    assert client.server_tz is not None


def test_min_version_check(client):
    # clickhouse-connect gates features on the server version (e.g. >= 22.x).
    assert client.min_version("22.8"), f"server version {client.server_version} < 22.8: client disables features"


def test_ping(client):
    assert client.ping()


def test_default_compression_is_lz4(client):
    assert client.write_compression == "lz4", client.write_compression
    assert client.compression and "lz4" in client.compression, client.compression


# ------------------------------------------------------------------ command
def test_command_scalar(client):
    assert client.command("SELECT 1 + 1") == 2
    assert client.command("SELECT 'hello'") == "hello"


def test_command_row(client):
    assert client.command("SELECT 1, 'x'") == ["1", "x"]


def test_command_ddl(client, db):
    client.command(f"CREATE TABLE {db}.ddl (x UInt8) ENGINE = MergeTree ORDER BY x")
    assert client.command(f"EXISTS TABLE {db}.ddl") == 1
    client.command(f"DROP TABLE {db}.ddl")
    assert client.command(f"EXISTS TABLE {db}.ddl") == 0


# ------------------------------------------------------------------ query
def test_query_basic(client):
    r = client.query("SELECT number, toString(number) AS s, number * 0.5 AS h FROM numbers(10)")
    assert r.column_names == ("number", "s", "h")
    assert [t.name for t in r.column_types] == ["UInt64", "String", "Float64"]
    assert r.result_rows == [(i, str(i), i * 0.5) for i in range(10)]
    assert r.row_count == 10


def test_query_server_side_parameters(client):
    r = client.query(
        "SELECT {x:UInt32} + 1 AS y, {s:String} AS s, {d:DateTime} AS d",
        parameters={"x": 41, "s": "it's \\ a\ttab", "d": dt.datetime(2024, 1, 2, 3, 4, 5)},
    )
    y, s, d = r.result_rows[0]
    assert y == 42
    assert s == "it's \\ a\ttab"
    assert d.replace(tzinfo=None) == dt.datetime(2024, 1, 2, 3, 4, 5)


def test_query_client_side_parameters(client):
    r = client.query("SELECT %(x)s + 1 AS y, %(s)s AS s", parameters={"x": 41, "s": "o'k"})
    assert r.result_rows == [(42, "o'k")]


def test_query_settings(client):
    r = client.query("SELECT value FROM system.settings WHERE name = 'max_block_size'", settings={"max_block_size": 1234})
    assert r.result_rows == [("1234",)]


def test_query_error_code(client):
    with pytest.raises(DatabaseError) as e:
        client.query("SELECT * FROM nope")
    # code comes from X-ClickHouse-Exception-Code; the message carries the body text
    assert e.value.code == 60, f"code={e.value.code!r}: {e.value}"
    assert re.search(r"\bCode: 60\b", str(e.value)), str(e.value)


def test_command_error_code(client):
    with pytest.raises(DatabaseError) as e:
        client.command("SELEC 1")
    assert e.value.code == 62, f"code={e.value.code!r}: {e.value}"


def test_error_in_the_middle_of_a_result(client):
    with pytest.raises(DatabaseError) as e:
        client.query("SELECT number, throwIf(number = 300000) FROM numbers(1000000)", settings={"max_block_size": 10000})
    assert "395" in str(e.value) or "THROW_IF" in str(e.value), str(e.value)


def test_row_block_stream(client):
    total = 0
    count = 0
    with client.query_row_block_stream("SELECT number FROM numbers(200000)") as stream:
        for block in stream:
            for (n,) in block:
                total += n
                count += 1
    assert count == 200000
    assert total == 200000 * 199999 // 2


def test_query_df(client):
    df = client.query_df("SELECT number AS n, toString(number) AS s, toFloat64(number) / 2 AS h FROM numbers(1000)")
    assert list(df.columns) == ["n", "s", "h"]
    assert len(df) == 1000
    assert int(df["n"].sum()) == 999 * 1000 // 2
    assert df["s"].iloc[999] == "999"
    assert float(df["h"].iloc[3]) == 1.5


def test_query_np(client):
    arr = client.query_np("SELECT number FROM numbers(1000)")
    assert int(arr.sum()) == 999 * 1000 // 2


# ------------------------------------------------------------------ insert
def test_all_types_describe(client, all_types_table):
    rows = client.query(f"DESCRIBE TABLE {all_types_table}").result_rows
    got = [(r[0], r[1]) for r in rows]
    want = [("k", "UInt8")] + [(n, c) for n, _, c in ALL_TYPES]
    assert got == want, "; ".join(f"{w[0]}: expected {w[1]!r}, got {g!r}" for g, w in zip(got, want) if g != w)


def test_all_types_insert_and_read(client, all_types_table):
    names = ["k"] + [n for n, _, _ in ALL_TYPES]
    data = [[k] + [row[n] for n, _, _ in ALL_TYPES] for k, row in enumerate(ROWS)]
    client.insert(all_types_table, data, column_names=names)
    r = client.query(f"SELECT * FROM {all_types_table} ORDER BY k")
    bad = [
        f"column {n}: type {t.name!r}, expected {c!r}"
        for (n, _, c), t in zip(ALL_TYPES, r.column_types[1:])
        if t.name.replace("`", "") != c  # the client renders tuple element names with backquotes
    ]
    assert len(r.result_rows) == len(ROWS), f"{len(r.result_rows)} rows; " + "; ".join(bad)
    for k, got in enumerate(r.result_rows):
        for i, (n, _, _) in enumerate(ALL_TYPES):
            g, w = norm(n, got[i + 1]), norm(n, ROWS[k][n])
            if g != w:
                bad.append(f"row {k} {n}: expected {w!r}, got {got[i + 1]!r}")
    assert not bad, "\n".join(bad)


def test_enum_declared_unsorted(client, db):
    # ClickHouse sorts an Enum's values by value in its type name; clickhouse-connect sends
    # that sorted name in its Native insert, so the server must treat both spellings as one type.
    name = f"{db}.enum_unsorted"
    client.command(f"CREATE TABLE {name} (k UInt8, e Enum16('x' = 1000, 'y' = -1000)) ENGINE = MergeTree ORDER BY k")
    client.insert(name, [[1, "x"], [2, "y"]], column_names=["k", "e"])
    assert client.query(f"SELECT e FROM {name} ORDER BY k").result_rows == [("x",), ("y",)]


def test_enum_type_name_sorted_by_value(client):
    r = client.query("SELECT toTypeName(CAST('x' AS Enum16('x' = 1000, 'y' = -1000)))")
    assert r.result_rows == [("Enum16('y' = -1000, 'x' = 1000)",)]


def test_bulk_insert_count(client, bulk_table):
    assert client.command(f"SELECT count() FROM {bulk_table}") == N
    assert client.command(f"SELECT sum(id) FROM {bulk_table}") == N * (N - 1) // 2


def test_bulk_read_df(client, bulk_table):
    df = client.query_df(f"SELECT id, name, value FROM {bulk_table}")
    assert len(df) == N
    assert int(df["id"].sum()) == N * (N - 1) // 2
    assert float(df["value"].sum()) == sum(i / 4 for i in range(N))
    sample = df.sort_values("id").iloc[[0, 123456, N - 1]]
    assert list(sample["name"]) == ["name_0", "name_123456", f"name_{N - 1}"]


def test_insert_df_roundtrip(client, db):
    name = f"{db}.frame"
    client.command(f"CREATE TABLE {name} (a Int64, b String, c Float64, d Nullable(Int32)) ENGINE = MergeTree ORDER BY a")
    df = pd.DataFrame({"a": [3, 1, 2], "b": ["x", "y", "z"], "c": [0.5, 1.5, 2.5], "d": pd.array([1, None, 3], dtype="Int32")})
    client.insert_df(name, df)
    back = client.query_df(f"SELECT * FROM {name} ORDER BY a")
    assert list(back["a"]) == [1, 2, 3]
    assert list(back["b"]) == ["y", "z", "x"]
    assert list(back["c"]) == [1.5, 2.5, 0.5]
    assert [None if pd.isna(x) else int(x) for x in back["d"]] == [None, 3, 1]


def test_stream_insert_and_historical_read(client, db):
    name = f"{db}.s"
    client.command(f"CREATE STREAM {name} (id uint32, msg string)")
    client.insert(name, [[i, f"m{i}"] for i in range(100)], column_names=["id", "msg"])
    assert client.command(f"SELECT count() FROM table({name})") == 100


@pytest.mark.parametrize("compress", ["lz4", "zstd", "gzip", False])
def test_compression_methods(db, client_factory, compress):
    c = client_factory(compress=compress)
    try:
        name = f"{db}.comp_{compress or 'none'}"
        c.command(f"CREATE TABLE {name} (x UInt32, s String) ENGINE = MergeTree ORDER BY x")
        c.insert(name, [[i, "v" * (i % 50)] for i in range(5000)], column_names=["x", "s"])
        r = c.query(f"SELECT x, s FROM {name} ORDER BY x")
        assert len(r.result_rows) == 5000
        assert r.result_rows[4999] == (4999, "v" * (4999 % 50))
    finally:
        c.close()
