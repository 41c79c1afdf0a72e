"""Fixtures for the clickhouse-driver / chdb suite (ClickHouse native TCP protocol).

The server comes from the environment run.sh sets through with-server.mjs: COMPAT_TCP_PORT
(native port), COMPAT_SERVER_URL (HTTP, used to cross-check what went in over TCP) and
COMPAT_SERVER_KIND ('reference' = ClickHouse 18.16, which predates some types and features:
those tests are skipped there and only there). One database per run, dropped at the end.
After pytest's own summary, prints the plain `N passed, N failed, N skipped` line."""
import os
import urllib.parse
import urllib.request
import uuid

import pytest
from clickhouse_driver import Client

_counts = {"passed": 0, "failed": 0, "skipped": 0}

COMPRESSIONS = [False, "lz4", "zstd"]


def is_reference():
    return os.environ.get("COMPAT_SERVER_KIND") == "reference"


def tcp_port():
    port = os.environ.get("COMPAT_TCP_PORT")
    if not port:
        raise RuntimeError("COMPAT_TCP_PORT is not set: the server has no native TCP listener "
                           "(run compat-tests/clickhouse-driver/run.sh)")
    return int(port)


def make_client(compression=False, **kwargs):
    kwargs.setdefault("user", "default")
    kwargs.setdefault("password", "")
    kwargs.setdefault("connect_timeout", 10)
    if os.environ.get("COMPAT_CLIENT_REVISION"):  # diagnosis only: negotiate an older protocol revision
        kwargs.setdefault("client_revision", int(os.environ["COMPAT_CLIENT_REVISION"]))
    kwargs.setdefault("send_receive_timeout", int(os.environ.get("COMPAT_RECV_TIMEOUT", "8")))
    return Client(host="127.0.0.1", port=tcp_port(), compression=compression, **kwargs)


def http_query(sql):
    """Runs `sql` over the HTTP interface and returns the body (TabSeparated by default)."""
    url = os.environ["COMPAT_SERVER_URL"].rstrip("/") + "/?" + urllib.parse.urlencode({"query": sql})
    with urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=60) as r:
        return r.read().decode()


def modern_only(what):
    """Skips on the 18.16 reference only (the feature is newer than 18.16)."""
    return pytest.mark.skipif(is_reference(), reason=f"ClickHouse 18.16 has no {what}")


@pytest.fixture(scope="session")
def client_factory():
    return make_client


@pytest.fixture(scope="session")
def admin():
    c = make_client()
    yield c
    c.disconnect()


@pytest.fixture(scope="session")
def db(admin):
    name = f"drv_compat_{uuid.uuid4().hex[:10]}"
    admin.execute(f"CREATE DATABASE {name}")
    yield name
    try:
        admin.execute(f"DROP DATABASE {name}")
    except Exception:  # noqa: BLE001 - cleanup is best effort
        pass


@pytest.fixture(params=COMPRESSIONS, ids=["none", "lz4", "zstd"])
def client(request):
    c = make_client(compression=request.param)
    yield c
    c.disconnect()


def pytest_runtest_logreport(report):
    if report.when == "call":
        if report.passed:
            _counts["passed"] += 1
        elif report.failed:
            _counts["failed"] += 1
        elif report.skipped:
            _counts["skipped"] += 1
    elif report.failed:  # setup/teardown errors
        _counts["failed"] += 1
    elif report.skipped and report.when == "setup":
        _counts["skipped"] += 1


def pytest_unconfigure(config):
    print(f"\n{_counts['passed']} passed, {_counts['failed']} failed, {_counts['skipped']} skipped")
