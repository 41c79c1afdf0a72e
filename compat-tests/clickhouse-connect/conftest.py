"""Fixtures for the clickhouse-connect suite: the server comes from COMPAT_SERVER_URL
(run.sh starts one and sets it); one database per run, dropped at the end. After pytest's
own summary, prints the plain `N passed, N failed, N skipped` line."""
import os
import uuid
from urllib.parse import urlparse

import clickhouse_connect
import pytest

_counts = {"passed": 0, "failed": 0, "skipped": 0}


def server_address():
    url = os.environ.get("COMPAT_SERVER_URL")
    if not url:
        raise RuntimeError("COMPAT_SERVER_URL is not set: run compat-tests/clickhouse-connect/run.sh")
    u = urlparse(url)
    return u.hostname or "127.0.0.1", u.port or 8123


def make_client(**kwargs):
    host, port = server_address()
    # Defaults on purpose: compress=True (lz4 inserts, compressed responses), HTTP.
    kwargs.setdefault("send_receive_timeout", 120)
    return clickhouse_connect.get_client(host=host, port=port, username="default", password="", **kwargs)


@pytest.fixture(scope="session")
def client_factory():
    return make_client


@pytest.fixture(scope="session")
def client():
    c = make_client()
    yield c
    c.close()


@pytest.fixture(scope="session")
def db(client):
    name = f"py_compat_{uuid.uuid4().hex[:10]}"
    client.command(f"CREATE DATABASE {name}")
    yield name
    try:
        client.command(f"DROP DATABASE {name}")
    except Exception:  # noqa: BLE001 - cleanup is best effort
        pass


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
