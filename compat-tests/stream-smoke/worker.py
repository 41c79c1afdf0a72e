"""Runs Proton's stream smoke cases (tests/stream/test_stream_smoke in timeplus-io/proton) of one
suite file against a server, the way Proton's own runner (tests/stream/helpers/rockets.py) does,
and prints one JSON line per case to stdout.

  worker.py --list FILE...                  one JSON line per case: file, index, id, name, topic, skip
  worker.py --suite FILE --cases 0,3,5 --tcp-port N --http-port N --rest-port N
            [--host H] [--wait-scale F] [--case-timeout S]

What follows rockets.py (the semantics the expected results were written against):
- statements of a step go to one sequential executor: `table` statements run there one after
  another (`wait` seconds first, `depends_on` = that streaming query must be in
  system.processes, then the query, then the `kill` / `drop_view` / `drop_stream` acts after
  their `*_wait`); `stream` statements start in the background (their own connection, their own
  `wait` / `depends_on`) and every row they receive is their result;
- an `inputs` step starts `max_wait` seconds after its statements were queued (the sum of the
  table waits, the largest stream wait), then 1 s, then each batch (`wait`, `depends_on`,
  `sleep`), then 1.5 s;
- when the steps are done every streaming query still running is checked to exist, gets
  `query_end_timer` seconds, and is ended with `kill query where query_id = ...`; a query that
  ends with code 394 (QUERY_WAS_CANCELLED) keeps the rows it got, any other server error makes
  its result the string `error_code:N`;
- results are compared per designated `query_id` (the last statement with that id) with
  rockets.py's case_result_check: same row count, each expected row matched by some row, fields
  by column type (float: rel. tol. 1e-2, int, array, nullable, comma-separated strings with
  `any_value`), values as `str()` of what clickhouse-driver returns.

Where this runner differs (documented in README.md): the suite's streams (`table_schemas`) and
`inputs` go over the native protocol (CREATE STREAM / INSERT ... VALUES) instead of Proton's
REST DDL and ingest endpoints (the REST API is used for `client: rest` statements); fixed sleeps
are multiplied by --wait-scale; conditions (query running, stream exists) are polled; a case
stops at the first designated query whose final result already differs from its expectation;
`exec` statements (shell commands for Kafka and other external services) are not run and fail.
"""
import argparse
import json
import math
import queue
import re
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid

import yaml
from clickhouse_driver import Client, errors

DEFAULT_SKIP_TAGS = ["todo", "to_support", "change", "bug", "sample", "native_not_support"]
QUERY_WAS_CANCELLED = 394


def load_suite(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith(".json"):
            return json.load(f)
        return yaml.safe_load(f)


def topic_of(suite):
    name = str(suite.get("test_suite_name") or "unnamed")
    return re.sub(r"\d+$", "", name) or name


def skip_tags_of(suite):
    cfg = (suite.get("test_suite_config") or {}).get("tests_2_run") or {}
    skip = cfg.get("tags_2_skip")
    if skip is None:
        return list(DEFAULT_SKIP_TAGS)
    tags = []
    for key, value in skip.items():
        if "default" in key:
            tags += value
    return tags


def case_plan(path):
    """The cases of a suite file and why each is skipped (test_case_collect in rockets.py)."""
    suite = load_suite(path)
    cfg = (suite.get("test_suite_config") or {}).get("tests_2_run") or {}
    ids_2_run = cfg.get("ids_2_run") or ["all"]
    tags_2_run = cfg.get("tags_2_run") or []
    skip_tags = skip_tags_of(suite)
    out = []
    for i, test in enumerate(suite.get("tests") or []):
        tags = test.get("tags") or []
        skip = None
        if tags_2_run and not any(t in tags_2_run for t in tags):
            skip = "not in tags_2_run"
        elif not tags_2_run and ids_2_run[0] != "all" and test.get("id") not in ids_2_run:
            skip = "not in ids_2_run"
        else:
            hit = [t for t in tags if t in skip_tags]
            if hit:
                skip = f"tag {hit[0]} (skipped by Proton by default)"
            elif not test.get("expected_results"):
                # Proton counts these as passed; nothing here could fail them
                skip = "no expected_results in the case"
        out.append({
            "index": i,
            "id": test.get("id"),
            "name": str(test.get("name")),
            "topic": topic_of(suite),
            "skip": skip,
        })
    return out


class CaseAborted(Exception):
    pass


class ErrorResult(Exception):
    """A statement that ends with the result string `error_code:N[, error: ...]`."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text


def quote_value(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(quote_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(quote_value(k) + ": " + quote_value(x) for k, x in v.items()) + "}"
    s = str(v).replace("\\", "\\\\").replace("'", "\\'")
    return "'" + s + "'"


def values_match(expected, result, types):
    """rockets.py TestSuite.case_result_check (order_check=False); returns None or a difference."""
    if result == "error_code:159":
        return None
    if type(expected) is not type(result):
        return f"expected {short(expected)}, got {short(result)}"
    if isinstance(expected, str):
        if expected == "skip" or expected == result:
            return None
        return f"expected {short(expected)}, got {short(result)}"
    if isinstance(expected, dict):
        for key, value in expected.items():
            if value == "any_value":
                continue
            if value != result.get(key):
                return f"key {key!r}: expected {short(value)}, got {short(result.get(key))}"
        return None
    if len(expected) != len(result):
        return f"expected {len(expected)} rows, got {len(result)}: {short(result)}"
    for row in expected:
        if not any(row_matches(row, got, types) for got in result):
            return f"expected row {short(row)} not in result {short(result)} (column types {short([t[1] for t in types], 200)})"
    return None


def proton_spelling(type_name):
    """Proton names types in lower snake case (float32, datetime64(3), low_cardinality(string)); Hadron's
    ClickHouse ports use ClickHouse's spelling for the same types. rockets.py picks its comparison by
    Proton's spelling, so the check does too."""
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", type_name).lower().replace("date_time", "datetime").replace("u_int", "uint")


def row_matches(expected_row, got_row, types):
    try:
        checks = [0] * len(types)
        for i, exp in enumerate(expected_row):
            got = got_row[i]
            t = proton_spelling(types[i][1])
            if exp == "any_value":
                checks[i] = 1
            elif "array" in t and "array_join" not in t:
                checks[i] = 1 if exp == got else 0
            elif "float" in t:
                e, g = float(exp), float(got)
                checks[i] = 1 if math.isclose(e, g, rel_tol=1e-2) or (math.isnan(e) and math.isnan(g)) else 0
            elif "int" in t and "tuple" not in t and "map" not in t:
                checks[i] = 1 if int(exp) == int(got) else 0
            elif "nullable" in t:
                checks[i] = 1 if got == "None" else 0
            elif isinstance(exp, str):
                ok = all(e == "any_value" or e == g for e, g in zip(exp.split(","), got.split(",")))
                checks[i] = 1 if ok else 0
            else:
                checks[i] = 1 if exp == got else 0
        return all(c == 1 for c in checks)
    except Exception:  # rockets.py: any exception in the check fails the case
        return False


def short(v, limit=300):
    s = json.dumps(v, default=str) if not isinstance(v, str) else repr(v)
    return s if len(s) <= limit else s[:limit] + "..."


KAFKA_ADDRESS = re.compile(r"redpanda-1:\s*9092")
RPK = re.compile(r"^docker exec (?:-i )?redpanda-1 rpk topic (create|delete|produce) (\S+)((?: -p \d+)?)\s*$")


class Runner:
    def with_brokers(self, query):
        """Proton's smoke cases name their broker redpanda-1:9092: point them at --kafka-brokers."""
        if not self.args.kafka_brokers or not isinstance(query, str):
            return query
        return KAFKA_ADDRESS.sub(self.args.kafka_brokers, query)

    def run_kafka_exec(self, st):
        """`docker exec redpanda-1 rpk topic create|delete|produce …` of the external-stream cases, on the
        broker given with --kafka-brokers (topics through compat-tests/kafka/kafka-admin.mjs, messages
        through kcat). Other shell commands (restarting the broker container) fail with that reason."""
        import os
        import subprocess
        cmd = str(st.get("query") or "").strip()
        if re.match(r"^docker-compose restart redpanda-1\b", cmd):
            if not self.args.kafka_control:
                raise ErrorResult(f"error_code:10000, error: restarting the broker needs a broker started by the runner (--kafka): {cmd}")
            req = urllib.request.Request(self.args.kafka_control + "/restart", data=b"", method="POST")
            with urllib.request.urlopen(req, timeout=120) as r:
                r.read()
            return None, []
        m = RPK.match(cmd)
        if not m:
            raise ErrorResult(f"error_code:10000, error: shell command not supported by this runner: {cmd}")
        action, topic, part = m.group(1), m.group(2), m.group(3).strip()
        partition = part.split()[1] if part else None
        admin = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kafka", "kafka-admin.mjs")
        if action == "create":
            args = ["node", admin, "create", self.args.kafka_brokers, topic, partition or "1"]
            stdin = None
        elif action == "delete":
            args = ["node", admin, "delete", self.args.kafka_brokers, topic]
            stdin = None
        else:
            args = ["kcat", "-P", "-b", self.args.kafka_brokers, "-t", topic] + (["-p", partition] if partition else [])
            echo = st.get("echo")
            stdin = (echo if isinstance(echo, str) else json.dumps(echo, separators=(",", ":"))) + "\n"
        p = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise ErrorResult(f"error_code:10000, error: {cmd}: {p.stderr.strip()[:300]}")
        return None, []

    def __init__(self, args):
        self.args = args
        self.scale = args.wait_scale

    # --- connections -------------------------------------------------------------------------
    def client(self, timeout=None):
        return Client(host=self.args.host, port=self.args.tcp_port,
                      send_receive_timeout=timeout or self.args.case_timeout,
                      connect_timeout=5,
                      # Proton's native port answers in Proton's dialect (predicates are bool).
                      settings={"max_block_size": 100000, "dialect": "proton"})

    def sleep(self, seconds, case=None):
        seconds = float(seconds or 0) * self.scale
        if seconds <= 0:
            return
        if case is None:
            time.sleep(seconds)
        elif case.abort.wait(seconds):
            raise CaseAborted()

    def query_running(self, ctl, query_id):
        rows = ctl.execute(f"select query_id from system.processes where query_id = '{query_id}'")
        return any(str(query_id) in [str(x) for x in row] for row in rows)

    def wait_query_running(self, case, ctl, query_id, limit=20.0):
        """Polls system.processes (query_exists in rockets.py); stops early once the streaming
        query with that id has ended (it can no longer appear)."""
        end = time.monotonic() + limit
        while True:
            if self.query_running(ctl, query_id):
                return True
            sq = case.streams.get(str(query_id)) if case else None
            # A running stream statement may still register under this id (RECOVER FROM 'id' runs as 'id').
            if sq is not None and sq.done.is_set() and all(s.done.is_set() for s in case.streams.values()):
                return False
            if time.monotonic() > end:
                return False
            if case is not None and case.abort.wait(0.05):
                raise CaseAborted()
            elif case is None:
                time.sleep(0.05)

    def stream_exists(self, ctl, name):
        rows = ctl.execute(f"show streams where name = '{name}'")
        return any(name in [str(x) for x in row] for row in rows)

    def wait_stream_exists(self, case, ctl, names, limit=5.0):
        end = time.monotonic() + limit
        for name in names:
            name = name.strip()
            while not self.stream_exists(ctl, name):
                if time.monotonic() > end:
                    raise ErrorResult(f"error_code:10000, error: stream {name} does not exist (depends_on_stream)")
                if case.abort.wait(0.05):
                    raise CaseAborted()

    def kill_query(self, ctl, query_id):
        ctl.execute(f"kill query where query_id = '{query_id}'")

    def drop_if_exists(self, ctl, kind, name):
        if kind == "view":
            ctl.execute(f"drop view if exists {name}")
        else:
            settings = "" if self.args.no_drop_settings else " settings enable_dependency_check = false"
            ctl.execute(f"drop stream if exists {name}{settings}")

    # --- REST ----------------------------------------------------------------------------------
    def rest_ping(self):
        try:
            with urllib.request.urlopen(f"http://{self.args.host}:{self.args.rest_port}/proton/ping", timeout=3) as r:
                return r.status == 200
        except Exception:
            return False

    def run_rest(self, case, st):
        rest_type = st.get("rest_type")
        if rest_type == "raw":
            if not self.args.rest_port or not self.rest_ping():
                raise ErrorResult(f"error_code:10000, error: the REST API does not answer /proton/ping on port {self.args.rest_port}")
            base = f"http://{self.args.host}:{self.args.rest_port}"
        else:
            base = f"http://{self.args.host}:{self.args.http_port}"
        url = base + str(st.get("query_url") or "/").replace(" ", "%20").replace("'", "%27")
        params = st.get("params")
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        data = st.get("data")
        body = None
        if data is not None:
            body = (json.dumps(data) if rest_type == "raw" else str(data)).encode()
        headers = dict(st.get("headers") or {})
        headers["x-proton-query-id"] = str(st.get("query_id"))
        req = urllib.request.Request(url, data=body, method=st.get("http_method") or ("POST" if body else "GET"), headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.args.case_timeout) as r:
                text = r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
        except Exception as e:
            raise ErrorResult(f"error_code:10000, error: {e}")
        try:
            return json.loads(text)
        except ValueError:
            return text

    # --- suite setup ---------------------------------------------------------------------------
    def create_sql(self, schema):
        cols = []
        for c in schema.get("columns") or []:
            col = f"`{c['name']}` {c['type']}"
            if c.get("default") is not None:
                col += f" DEFAULT {c['default']}"
            cols.append(col)
        sql = f"CREATE STREAM {schema['name']} ({', '.join(cols)})"
        if schema.get("ttl_expression"):
            sql += f" TTL {schema['ttl_expression']}"
        if schema.get("event_time_column"):
            sql += f" SETTINGS event_time_column = {quote_value(schema['event_time_column'])}"
        return sql

    def create_schema(self, ctl, schema):
        if schema.get("type") == "view":
            ctl.execute(schema.get("create_sql"))
        else:
            ctl.execute(self.create_sql(schema))

    def setup_suite(self, ctl, suite, case):
        cfg = suite.get("test_suite_config") or {}
        schemas = cfg.get("table_schemas") or []
        for s in schemas:
            if str(s.get("reset")) != "False":
                if s.get("type") == "view":
                    self.drop_if_exists(ctl, "view", s["name"])
                else:  # Proton: DELETE /proton/v1/ddl/streams/NAME
                    ctl.execute(f"drop stream if exists {s['name']}")
        for s in schemas:
            if not self.stream_exists(ctl, s["name"]):
                self.create_schema(ctl, s)
        setup = cfg.get("setup") or {}
        for st in setup.get("statements") or []:
            st = dict(st)
            st.setdefault("query_id", str(uuid.uuid1()))
            case.run_table_statement(st)
        if setup.get("inputs"):
            case.run_inputs(setup["inputs"])


class StreamQuery:
    def __init__(self, st):
        self.st = st
        self.query_id = str(st["query_id"])
        self.done = threading.Event()
        self.rows = []
        self.types = []
        self.result = None
        self.client = None
        self.killed = False


class Case:
    def __init__(self, runner, suite, test, deadline):
        self.r = runner
        self.suite = suite
        self.test = test or {}
        self.deadline = deadline
        self.abort = threading.Event()
        self.abort_reason = None
        self.streams = {}
        self.results = {}  # query_id -> {"result": ..., "types": ...}
        self.designated = set()
        self.lock = threading.Lock()
        self.messages = {}  # query_id -> the server's error message (shown with a failure)
        # (query_id, query, error) of the first failed statement without expectation (or of the suite setup)
        self.first_error = getattr(runner, "setup_failure", None)
        self.pending = 0  # statements queued and not yet finished by the executor
        self._local = threading.local()
        self._clients = []  # every control connection, one a thread (clickhouse-driver clients are not thread-safe)
        self.schemas = ((suite.get("test_suite_config") or {}).get("table_schemas")) or []
        expected = self.test.get("expected_results") or []
        self.expected = {str(e.get("query_id")): e.get("expected_results") for e in expected}
        self.last_use = {}
        for si, step in enumerate(self.test.get("steps") or []):
            for ti, st in enumerate(step.get("statements") or []):
                if st.get("query_id") is not None:
                    self.last_use[str(st["query_id"])] = (si, ti)

    @property
    def ctl(self):
        c = getattr(self._local, "client", None)
        if c is None:
            c = self.r.client()
            self._local.client = c
            with self.lock:
                self._clients.append(c)
        return c

    def message_of(self, qid):
        m = self.messages.get(qid)
        out = f" [{m}]" if m else ""
        # the first statement without an expectation that failed is often the root cause
        if self.first_error is not None and self.first_error[0] != qid:
            out += f"; first failed statement: {self.first_error[1]} -> {self.first_error[2]}"
        return out

    def note_error(self, st, text):
        qid = str(st.get("query_id"))
        if self.first_error is None and qid not in self.expected:
            q = re.sub(r"\s+", " ", str(st.get("query") or st.get("query_url") or "")).strip()
            self.first_error = (qid, q[:160], text)

    def fail_fast(self, reason):
        if not self.abort.is_set():
            self.abort_reason = reason
            self.abort.set()

    def record(self, st, result, types, pos=None, note=""):
        qid = str(st["query_id"])
        with self.lock:
            self.results[qid] = {"result": result, "types": types}
        # a designated query whose final result already differs decides the case
        if pos is not None and qid in self.expected and self.last_use.get(qid) == pos:
            diff = values_match(self.expected[qid], result, types)
            if diff is not None:
                self.fail_fast(f"query_id {qid}: {diff}{note}{self.message_of(qid)}")

    # --- statements ----------------------------------------------------------------------------
    def acts_in_final(self, st):
        for act in ("kill", "drop_view", "drop_stream"):
            target = st.get(act)
            if target is None:
                continue
            self.r.sleep(st.get(act + "_wait"), self)
            for item in str(target).split(","):
                item = item.strip()
                if act == "kill":
                    self.r.kill_query(self.ctl, item)
                    sq = self.streams.get(item)
                    if sq is not None:
                        sq.killed = True
                else:
                    self.r.drop_if_exists(self.ctl, "view" if act == "drop_view" else "stream", item)

    def check_depends(self, st):
        if st.get("depends_on_stream"):
            self.r.wait_stream_exists(self, self.ctl, str(st["depends_on_stream"]).split(","))
        dep = st.get("depends_on")
        if dep is not None:
            if not self.r.wait_query_running(self, self.ctl, dep):
                raise ErrorResult(f"error_code:10000, error: depends_on query {dep} is not running")
            self.r.sleep(1, self)  # rockets.py: "for waiting the depends_on query ready"

    def run_table_statement(self, st, pos=None):
        result, types = None, []
        try:
            self.r.sleep(st.get("wait"), self)
            if st.get("client") == "exec":
                if not self.r.args.kafka_brokers:
                    raise ErrorResult("error_code:10000, error: exec statements (shell commands for external services) are not supported by this runner (Kafka ones run with --kafka-brokers)")
                self.check_depends(st)
                result, types = self.r.run_kafka_exec(st)
            elif st.get("client") == "rest":
                self.check_depends(st)
                result = self.r.run_rest(self, st)
            else:
                self.check_depends(st)
                rows, cols = self.ctl.execute(self.r.with_brokers(st.get("query")), with_column_types=True, query_id=str(st["query_id"]))
                types = [list(c) for c in cols]
                result = [[x if isinstance(x, str) else str(x) for x in row] for row in rows]
                if "CREATE" in str(st.get("query")).upper() and st.get("exist") is not None:
                    self.r.sleep(st.get("exist_wait"), self)
                    self.r.wait_stream_exists(self, self.ctl, str(st["exist"]).split(","))
        except CaseAborted:
            raise
        except ErrorResult as e:
            result = e.text
        except errors.ServerException as e:
            result = f"error_code:{e.code}"
            self.messages[str(st["query_id"])] = first_line(e.message)
            self.note_error(st, f"code {e.code}: {first_line(e.message)}")
        except (errors.NetworkError, errors.SocketTimeoutError, EOFError, OSError) as e:
            result = f"error_code:10000, error: {type(e).__name__}: {e}"
            self.record(st, result, types, pos)
            self.fail_fast(f"query_id {st['query_id']}: connection failure: {type(e).__name__}: {e}")
            raise CaseAborted()
        self.record(st, result, types, pos)
        try:
            self.acts_in_final(st)
        except errors.Error:
            pass

    def start_stream(self, st, pos):
        sq = StreamQuery(st)
        self.streams[sq.query_id] = sq
        threading.Thread(target=self.stream_thread, args=(sq, pos), daemon=True).start()

    def stream_thread(self, sq, pos):
        st = sq.st
        result = None
        try:
            self.r.sleep(st.get("wait"), self)
            if st.get("client") != "python":
                raise ErrorResult(f"error_code:10000, error: {st.get('client')} client for a stream query is not supported")
            self.check_depends(st)
            sq.client = self.r.client(timeout=max(5, self.deadline - time.monotonic()))
            first = True
            for element in sq.client.execute_iter(self.r.with_brokers(st.get("query")), with_column_types=True, query_id=sq.query_id):
                if first:
                    sq.types = [list(c) for c in element]
                    first = False
                else:
                    sq.rows.append([x if isinstance(x, str) else str(x) for x in element])
            result = sq.rows
        except CaseAborted:
            result = "aborted"
        except ErrorResult as e:
            result = e.text
        except errors.ServerException as e:
            result = sq.rows if e.code == QUERY_WAS_CANCELLED else f"error_code:{e.code}"
            if e.code != QUERY_WAS_CANCELLED:
                self.messages[sq.query_id] = first_line(e.message)
                self.note_error(st, f"code {e.code}: {first_line(e.message)}")
        except Exception as e:  # network errors, a forced disconnect
            result = f"error_code:10000, error: {type(e).__name__}: {e}" if not sq.killed else \
                f"error_code:10000, error: the query did not end after kill query ({type(e).__name__})"
        finally:
            try:
                if sq.client is not None:
                    sq.client.disconnect()
            except Exception:
                pass
        sq.result = result
        ended_alone = isinstance(result, list) and not sq.killed and not self.abort.is_set()
        self.record(st, result, sq.types, pos, " (the streaming query ended by itself)" if ended_alone else "")
        sq.done.set()
        try:
            if not self.abort.is_set():
                self.acts_in_final(st)
        except Exception:
            pass

    def executor(self, q):
        try:
            while True:
                item = q.get()
                if item is None:
                    return
                st, pos = item
                try:
                    if self.abort.is_set():
                        continue
                    if st.get("query_type") == "stream" or st.get("run_mode") == "process":
                        self.start_stream(st, pos)
                    else:
                        self.run_table_statement(st, pos)
                finally:
                    with self.lock:
                        self.pending -= 1
        except CaseAborted:
            pass
        except Exception as e:  # a bug or a broken connection: the case ends with the reason
            self.fail_fast(f"runner error: {type(e).__name__}: {e}")
        finally:
            # drain so that joiners do not wait forever
            while True:
                try:
                    if q.get_nowait() is None:
                        pass
                except queue.Empty:
                    break
            self.executor_done.set()

    # --- inputs --------------------------------------------------------------------------------
    def find_schema(self, name):
        for s in self.schemas:
            if s.get("name") == name:
                return s
        return None

    def run_inputs(self, inputs):
        self.r.sleep(1, self)
        for batch in inputs:
            self.r.sleep(batch.get("sleep"), self)
            table = batch.get("table_name")
            if batch.get("depends_on_stream"):
                self.r.wait_stream_exists(self, self.ctl, str(batch["depends_on_stream"]).split(","))
            self.r.wait_stream_exists(self, self.ctl, [table])
            dep = batch.get("depends_on")
            if dep is not None and not self.r.wait_query_running(self, self.ctl, dep):
                sq = self.streams.get(str(dep))
                why = f" (it ended with {short(sq.result)})" if sq is not None and sq.done.is_set() else ""
                raise ErrorResult(f"input for {table}: depends_on query {dep} is not running{why}")
            self.r.sleep(batch.get("wait"), self)
            columns = batch.get("columns")
            if columns is None:
                schema = self.find_schema(table)
                if schema is None:
                    raise ErrorResult(f"input for {table}: no columns and no table_schema")
                columns = [c["name"] for c in schema.get("columns") or []]
            rows = batch.get("data") or []
            values = ", ".join("(" + ", ".join(quote_value(v) for v in row) + ")" for row in rows)
            cols = ", ".join(f"`{c}`" for c in columns)
            try:
                self.ctl.execute(f"INSERT INTO {table} ({cols}) VALUES {values}")
            except errors.ServerException as e:
                raise ErrorResult(f"input for {table} failed: code {e.code}: {first_line(e.message)}")
            self.acts_in_final(batch)
        self.r.sleep(1.5, self)

    def reset_input_streams(self):
        """reset_tables_of_test_inputs in rockets.py, including its quirk: once one input stream
        has been handled, every schema name counts as recreated."""
        recreated = set()
        for step in self.test.get("steps") or []:
            for batch in step.get("inputs") or []:
                table = batch.get("table_name")
                schema = self.find_schema(table)
                if (schema is not None and str(schema.get("reset")) == "False") or table in recreated:
                    continue
                try:
                    if self.r.stream_exists(self.ctl, table):
                        self.r.drop_if_exists(self.ctl, "stream", table)
                    for s in self.schemas:
                        recreated.add(s.get("name"))
                        if s.get("name") == table:
                            self.r.create_schema(self.ctl, s)
                except errors.ServerException as e:
                    raise ErrorResult(f"resetting input stream {table} failed: code {e.code}: {first_line(e.message)}")

    # --- the case ------------------------------------------------------------------------------
    def run(self):
        timer = threading.Timer(max(0.1, self.deadline - time.monotonic()),
                                lambda: self.fail_fast(f"case timeout ({self.r.args.case_timeout:g} s){self.message_of('')}"))
        timer.daemon = True
        timer.start()
        q = queue.Queue()
        self.executor_done = threading.Event()
        threading.Thread(target=self.executor, args=(q,), daemon=True).start()
        try:
            try:
                self.reset_input_streams()
                max_wait = 0.0
                queued_at = time.monotonic()
                for si, step in enumerate(self.test.get("steps") or []):
                    if self.abort.is_set():
                        break
                    if "statements" in step:
                        max_wait = 0.0
                        queued_at = time.monotonic()
                        for ti, st in enumerate(step.get("statements") or []):
                            st = dict(st)
                            if st.get("query_id") is None:
                                st["query_id"] = str(uuid.uuid1())
                            else:
                                st["query_id"] = str(st["query_id"])
                                self.designated.add(st["query_id"])
                            w = float(st.get("wait") or 0)
                            if st.get("query_type") == "stream" or st.get("run_mode") == "process":
                                max_wait = max(max_wait, w)
                            else:
                                max_wait += w
                            with self.lock:
                                self.pending += 1
                            q.put((st, (si, ti)))
                    elif "inputs" in step:
                        # rockets.py sleeps max_wait after queueing; the statements before must also be done
                        self.wait_executor_idle(q)
                        rest = queued_at + max_wait * self.r.scale - time.monotonic()
                        if rest > 0 and self.abort.wait(rest):
                            raise CaseAborted()
                        self.run_inputs(step.get("inputs") or [])
                q.put(None)
                while not self.executor_done.wait(0.05):
                    if self.abort.is_set():
                        break
                if not self.abort.is_set():
                    self.end_streams()
            except CaseAborted:
                pass
            except ErrorResult as e:
                self.fail_fast(e.text)
            except errors.ServerException as e:
                self.fail_fast(f"setup statement failed: code {e.code}: {first_line(e.message)}")
            except (errors.NetworkError, errors.SocketTimeoutError, EOFError, OSError) as e:
                self.fail_fast(f"connection failure: {type(e).__name__}: {e}")
        finally:
            timer.cancel()
            q.put(None)
            self.cleanup()
        return self.verdict()

    def wait_executor_idle(self, q):
        # the executor takes items one by one; wait until it has taken and finished all of them
        while self.pending > 0:
            if self.abort.wait(0.02):
                raise CaseAborted()

    def end_streams(self):
        for qid, sq in list(self.streams.items()):
            if sq.done.is_set():
                continue
            if not self.r.wait_query_running(self, self.ctl, qid, limit=10):
                if sq.done.wait(2):
                    continue
                self.fail_fast(f"query_id {qid}: streaming query is not in system.processes (query_end_timer check)")
                return
            self.r.sleep(sq.st.get("query_end_timer"), self)
            sq.killed = True
            self.r.kill_query(self.ctl, qid)
            if not sq.done.wait(5):
                # KILL QUERY did not end it: close its connection; the thread records the failure
                try:
                    sq.client.disconnect()
                except Exception:
                    pass
                sq.done.wait(5)

    def cleanup(self):
        for qid, sq in self.streams.items():
            if not sq.done.is_set():
                try:
                    self.r.kill_query(self.ctl, qid)
                except Exception:
                    pass
        for qid, sq in self.streams.items():
            if not sq.done.wait(3):
                try:
                    if sq.client is not None:
                        sq.client.disconnect()
                except Exception:
                    pass
        for c in self._clients:
            try:
                c.disconnect()
            except Exception:
                pass

    def verdict(self):
        if self.abort_reason is not None:
            return "failed", self.abort_reason
        for qid, exp in self.expected.items():
            got = self.results.get(qid)
            if got is None:
                return "failed", f"query_id {qid}: no result (the statement did not run)"
            diff = values_match(exp, got["result"], got["types"])
            if diff is not None:
                return "failed", f"query_id {qid}: {diff}{self.message_of(qid)}"
        return "passed", None


def first_line(s):
    s = str(s).strip().split("\n", 1)[0]
    return s.split(" Stack trace:", 1)[0][:400]


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", nargs="*")
    ap.add_argument("--suite")
    ap.add_argument("--cases", default="")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--tcp-port", type=int, default=8463)
    ap.add_argument("--http-port", type=int, default=8123)
    ap.add_argument("--rest-port", type=int, default=0)
    ap.add_argument("--wait-scale", type=float, default=1.0)
    ap.add_argument("--case-timeout", type=float, default=60)
    # diagnostic only: drop streams without Proton's `settings enable_dependency_check = false`
    ap.add_argument("--no-drop-settings", action="store_true")
    # a Kafka broker for the external-stream cases: their `redpanda-1:9092` and `rpk topic …` commands go there
    ap.add_argument("--kafka-brokers", default="")
    # where run.mjs restarts a broker it started (POST /restart): `docker-compose restart redpanda-1`
    ap.add_argument("--kafka-control", default="")
    args = ap.parse_args()
    if args.list is not None:
        for path in args.list:
            try:
                for c in case_plan(path):
                    emit({"file": path, **c})
            except Exception as e:
                emit({"file": path, "error": f"{type(e).__name__}: {e}"})
        return
    runner = Runner(args)
    suite = load_suite(args.suite)
    tests = suite.get("tests") or []
    indices = [int(x) for x in args.cases.split(",") if x != ""]
    setup_error = None
    try:
        case = Case(runner, suite, None, time.monotonic() + args.case_timeout * 2)
        try:
            runner.setup_suite(case.ctl, suite, case)
        finally:
            case.cleanup()
        if case.first_error is not None:
            runner.setup_failure = ("setup",) + tuple(case.first_error[1:])
    except ErrorResult as e:
        setup_error = e.text
    except errors.ServerException as e:
        setup_error = f"code {e.code}: {first_line(e.message)}"
    except Exception as e:
        setup_error = f"{type(e).__name__}: {e}"
    for i in indices:
        emit({"event": "start", "index": i})
        if setup_error is not None:
            emit({"event": "case", "index": i, "status": "failed", "reason": f"suite setup failed: {setup_error}"})
            continue
        t0 = time.monotonic()
        try:
            case = Case(runner, suite, tests[i], time.monotonic() + args.case_timeout)
            status, reason = case.run()
        except Exception as e:
            status, reason = "failed", f"runner error: {type(e).__name__}: {e}"
            traceback.print_exc(file=sys.stderr)
        emit({"event": "case", "index": i, "status": status, "reason": reason, "seconds": round(time.monotonic() - t0, 2)})


if __name__ == "__main__":
    main()
