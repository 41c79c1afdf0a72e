"""PyMySQL against Hadron's MySQL port (COMPAT_MYSQL_PORT): prints PASS / FAIL lines."""
import datetime
import decimal
import os
import sys
import time
import traceback

import pymysql
import pymysql.cursors

PORT = int(os.environ.get("COMPAT_MYSQL_PORT") or 0)
DB = "pymysql_%d" % (int(time.time() * 1000) % 10**9)


def connect(**kw):
    args = dict(host="127.0.0.1", port=PORT, user="default", password="", database="default", charset="utf8mb4")
    args.update(kw)
    return pymysql.connect(**args)


def check(name):
    def run(fn):
        try:
            fn()
            print("PASS  pymysql: " + name)
        except Exception as e:  # noqa: BLE001 - report everything
            print("FAIL  pymysql: " + name)
            for line in traceback.format_exception_only(type(e), e):
                print("      " + line.rstrip())
        return fn
    return run


def expect_error(cur, sql, code, args=None):
    try:
        cur.execute(sql, args)
    except pymysql.MySQLError as e:
        assert e.args[0] == code, "%s: expected error %d, got %r" % (sql, code, e.args)
        assert "DB::Exception" in e.args[1], e.args[1]
        return
    raise AssertionError("%s: no error" % sql)


def main():
    if not PORT:
        print("skip  pymysql: the server has no MySQL port")
        return

    @check("connect and query")
    def _():
        with connect() as c, c.cursor() as cur:
            cur.execute("SELECT 1, version(), DATABASE()")
            row = cur.fetchone()
            assert row[0] == 1 and row[2] == "default" and row[1].startswith("24."), row
            assert c.get_server_info().startswith("8.0"), c.get_server_info()

    @check("create a database and a table")
    def _():
        with connect() as c, c.cursor() as cur:
            cur.execute("CREATE DATABASE " + DB)
            cur.execute("CREATE TABLE %s.t (id Int32, name String, price Decimal(10, 2), qty UInt64, ratio Float64, day Date, at DateTime, "
                        "note Nullable(String), ok Bool) ENGINE = MergeTree ORDER BY id" % DB)

    @check("select_db (COM_INIT_DB)")
    def _():
        with connect() as c, c.cursor() as cur:
            c.select_db(DB)
            cur.execute("SELECT DATABASE()")
            assert cur.fetchone() == (DB,)

    @check("insert with parameters and read every type back")
    def _():
        with connect(database=DB) as c, c.cursor() as cur:
            n = cur.execute("INSERT INTO t VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                            (1, "O'Brien \\ \"quoted\"", decimal.Decimal("12.34"), 18446744073709551615, 0.25,
                             datetime.date(2024, 2, 29), datetime.datetime(2024, 1, 2, 3, 4, 5), None, True))
            assert n == 1, n
            c.commit()
            cur.execute("SELECT * FROM t WHERE id = %s", (1,))
            row = cur.fetchone()
            assert row == (1, "O'Brien \\ \"quoted\"", decimal.Decimal("12.34"), 18446744073709551615, 0.25,
                           datetime.date(2024, 2, 29), datetime.datetime(2024, 1, 2, 3, 4, 5), None, 1), row
            names = [d[0] for d in cur.description]
            assert names == ["id", "name", "price", "qty", "ratio", "day", "at", "note", "ok"], names

    @check("executemany insert")
    def _():
        with connect(database=DB) as c, c.cursor() as cur:
            rows = [(i, "n%d" % i, decimal.Decimal("%d.50" % i), i, i / 4, datetime.date(2024, 1, 1 + i % 28),
                     datetime.datetime(2024, 1, 1, 0, 0, i % 60), None if i % 2 else "even", i % 2 == 0) for i in range(10, 110)]
            n = cur.executemany("INSERT INTO t VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
            assert n == 100, n
            cur.execute("SELECT count(), sum(qty), countIf(note IS NULL) FROM t WHERE id >= 10")
            assert cur.fetchone() == (100, sum(range(10, 110)), 50)

    @check("DictCursor and parameters of several types")
    def _():
        with connect(database=DB, cursorclass=pymysql.cursors.DictCursor) as c, c.cursor() as cur:
            cur.execute("SELECT name, price FROM t WHERE id IN %s AND price > %s AND day >= %s ORDER BY id",
                        ((10, 11, 12), decimal.Decimal("10.5"), datetime.date(2024, 1, 1)))
            assert cur.fetchall() == [{"name": "n11", "price": decimal.Decimal("11.50")}, {"name": "n12", "price": decimal.Decimal("12.50")}]

    @check("streaming with SSCursor")
    def _():
        with connect(cursorclass=pymysql.cursors.SSCursor) as c, c.cursor() as cur:
            cur.execute("SELECT number FROM numbers(300000)")
            total = 0
            count = 0
            for (v,) in cur:
                total += v
                count += 1
            assert (count, total) == (300000, 300000 * 299999 // 2)

    @check("errors carry MySQL error numbers")
    def _():
        with connect(database=DB) as c, c.cursor() as cur:
            expect_error(cur, "SELECT * FROM no_such_table", 1146)
            expect_error(cur, "SELEC 1", 1064)
            expect_error(cur, "SELECT no_such_column FROM t", 1054)
            expect_error(cur, "USE no_such_database", 1049)
            cur.execute("SELECT 5")
            assert cur.fetchone() == (5,)

    @check("ProgrammingError class for a missing table")
    def _():
        with connect() as c, c.cursor() as cur:
            try:
                cur.execute("SELECT * FROM no_such_table")
            except pymysql.err.ProgrammingError:
                return
            raise AssertionError("no ProgrammingError")

    @check("autocommit, commit, rollback, ping")
    def _():
        with connect(autocommit=True) as c, c.cursor() as cur:
            c.autocommit(False)
            cur.execute("SELECT @@autocommit")
            assert cur.fetchone() == (0,)
            c.commit()
            c.rollback()
            c.ping(reconnect=False)

    @check("bad password is refused")
    def _():
        try:
            connect(password="wrong")
        except pymysql.err.OperationalError as e:
            assert e.args[0] == 1045, e.args
            return
        raise AssertionError("connected with a wrong password")

    @check("mysql_native_password and caching_sha2_password users")
    def _():
        for user, password in (("alice", "secret"), ("bob", "hunter2")):
            with connect(user=user, password=password) as c, c.cursor() as cur:
                cur.execute("SELECT currentUser()")
                assert cur.fetchone() == (user,)
        for user in ("alice", "bob"):
            try:
                connect(user=user, password="nope")
            except pymysql.err.OperationalError as e:
                assert e.args[0] == 1045, e.args
                continue
            raise AssertionError(user + " connected with a wrong password")

    @check("SSCursor reads a streaming count as INSERTs arrive; KILL QUERY ends it with 1317")
    def _():
        import threading
        stream = DB + ".pm_stream"
        with connect() as admin, admin.cursor() as acur:
            acur.execute("CREATE STREAM %s (x Int32)" % stream)
            reader = connect(cursorclass=pymysql.cursors.SSCursor)
            with reader.cursor() as cur:
                # MySQL sessions read streams historically until they ask to stream
                cur.execute("SET query_mode = 'streaming'")
            counts, times, outcome = [], [], {}

            def consume():
                try:
                    with reader.cursor() as cur:
                        cur.execute("SELECT count() FROM %s EMIT PERIODIC 100ms" % stream)
                        for row in cur:
                            counts.append(int(row[0]))
                            times.append(time.monotonic())
                    outcome["end"] = "finished"
                except pymysql.MySQLError as e:
                    outcome["end"] = e

            def wait_until(cond, what, timeout):
                deadline = time.monotonic() + timeout
                while not cond():
                    assert time.monotonic() < deadline, "timed out after %s s waiting for %s" % (timeout, what)
                    time.sleep(0.005)

            t = threading.Thread(target=consume, daemon=True)
            t.start()
            try:
                # The client cannot see when its query subscribed: one row at a time until a count arrives.
                deadline = time.monotonic() + 30
                while not counts:
                    assert "end" not in outcome, "the query ended early: %r" % (outcome["end"],)
                    assert time.monotonic() < deadline, "no count arrived after INSERTs for 30 s"
                    acur.execute("INSERT INTO %s (x) VALUES (1)" % stream)
                    start = time.monotonic()
                    while not counts and time.monotonic() - start < 3:
                        time.sleep(0.005)
                expected = counts[-1]
                latencies = []
                for i in (1, 2, 3):
                    seen = len(counts)
                    acur.execute("INSERT INTO %s (x) SELECT number FROM numbers(%d)" % (stream, i * 10))
                    acked = time.monotonic()
                    expected += i * 10
                    wait_until(lambda: counts and counts[-1] == expected, "count %d before the next INSERT (got %r)" % (expected, counts[-5:]), 5)
                    latencies.append(round((times[counts.index(expected, seen)] - acked) * 1000))
                print("      pymysql SSCursor: INSERT acknowledged -> count received in %s ms" % " / ".join(map(str, latencies)))
                acur.execute("KILL QUERY %d" % reader.thread_id())
                t.join(15)
                assert not t.is_alive(), "the SSCursor read did not end after KILL QUERY"
                end = outcome.get("end")
                assert isinstance(end, pymysql.MySQLError) and end.args[0] == 1317, end
            finally:
                reader.close()
                t.join(5)

    @check("drop the database")
    def _():
        with connect() as c, c.cursor() as cur:
            cur.execute("DROP DATABASE " + DB)


if __name__ == "__main__":
    main()
    sys.exit(0)
