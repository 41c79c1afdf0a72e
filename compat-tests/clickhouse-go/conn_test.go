package compat

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/ext"
)

func TestPingAndServerVersion(t *testing.T) {
	conn := open(t)
	if err := conn.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	v, err := conn.ServerVersion()
	if err != nil {
		t.Fatalf("ServerVersion: %v", err)
	}
	if v.Name == "" || v.Revision == 0 || v.Version.Major == 0 {
		t.Errorf("server version %+v", v)
	}
	var version string
	if err := conn.QueryRow(context.Background(), "SELECT version()").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(version, fmt.Sprintf("%d.%d.", v.Version.Major, v.Version.Minor)) {
		t.Errorf("version() = %q, hello says %v", version, v.Version)
	}
}

func TestPingDatabaseSQL(t *testing.T) {
	db := openDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("PingContext: %v", err)
	}
}

func TestProgressCallback(t *testing.T) {
	conn := open(t)
	var mu sync.Mutex
	var rows uint64
	var calls int
	ctx := clickhouse.Context(context.Background(),
		clickhouse.WithProgress(func(p *clickhouse.Progress) {
			mu.Lock()
			defer mu.Unlock()
			calls++
			rows += p.Rows
		}),
		clickhouse.WithSettings(clickhouse.Settings{"max_block_size": 65536}))
	var sum uint64
	if err := conn.QueryRow(ctx, "SELECT sum(number) FROM numbers(10000000)").Scan(&sum); err != nil {
		t.Fatal(err)
	}
	if sum != 49999995000000 {
		t.Errorf("sum = %d", sum)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls == 0 || rows < 10000000 || rows > 11000000 {
		t.Errorf("progress: %d calls, %d rows", calls, rows)
	}
}

func TestSettingsPerQuery(t *testing.T) {
	conn := open(t)
	ctx := clickhouse.Context(context.Background(), clickhouse.WithSettings(clickhouse.Settings{"max_block_size": 4321}))
	var v string
	if err := conn.QueryRow(ctx, "SELECT value FROM system.settings WHERE name = 'max_block_size'").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != "4321" {
		t.Errorf("max_block_size = %q", v)
	}
}

func TestMaxExecutionTime(t *testing.T) {
	conn := open(t)
	ctx := clickhouse.Context(context.Background(), clickhouse.WithSettings(clickhouse.Settings{"max_execution_time": 1}))
	var n uint64
	err := conn.QueryRow(ctx, "SELECT count() FROM numbers(100000000000)").Scan(&n)
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) || ex.Code != 159 {
		t.Fatalf("want exception 159 TIMEOUT_EXCEEDED, got %v", err)
	}
	if err := conn.Ping(context.Background()); err != nil {
		t.Fatalf("Ping after timeout: %v", err)
	}
}

func TestExternalTable(t *testing.T) {
	conn := open(t)
	tbl, err := ext.NewTable("ext", ext.Column("id", "UInt64"), ext.Column("name", "String"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint64{1, 3, 5} {
		if err := tbl.Append(id, fmt.Sprintf("n%d", id)); err != nil {
			t.Fatal(err)
		}
	}
	ctx := clickhouse.Context(context.Background(), clickhouse.WithExternalTable(tbl))
	rows, err := conn.Query(ctx, "SELECT n.number, ext.name FROM numbers(6) AS n ALL INNER JOIN ext ON n.number = ext.id ORDER BY n.number")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var n uint64
		var name string
		if err := rows.Scan(&n, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d=%s", n, name))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "1=n1,3=n3,5=n5" {
		t.Errorf("got %v", got)
	}
}

func TestServerException(t *testing.T) {
	conn := open(t)
	ctx := context.Background()
	cases := []struct {
		q     string
		codes []int32
	}{
		{"SELECT * FROM no_such_db_xyz.no_such_table", []int32{81, 60}},
		{"SELECT * FROM " + testDB + ".no_such_table", []int32{60}},
		{"SELEC 1", []int32{62}},
		{"SELECT no_such_function_xyz(1)", []int32{46}},
		{"SELECT throwIf(number = 3) FROM numbers(10)", []int32{395}},
	}
	for _, c := range cases {
		rows, err := conn.Query(ctx, c.q)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		var ex *clickhouse.Exception
		if !errors.As(err, &ex) {
			t.Errorf("%s: want *clickhouse.Exception, got %T %v", c.q, err, err)
			continue
		}
		ok := false
		for _, code := range c.codes {
			ok = ok || ex.Code == code
		}
		if !ok {
			t.Errorf("%s: code %d (%s), want one of %v", c.q, ex.Code, ex.Message, c.codes)
		}
		if ex.Message == "" || ex.Name == "" {
			t.Errorf("%s: exception without name/message: %+v", c.q, ex)
		}
	}
	if err := conn.Ping(ctx); err != nil {
		t.Fatalf("Ping after exceptions: %v", err)
	}
}

func TestWrongPassword(t *testing.T) {
	o := options(true)
	o.Auth.Password = "definitely-wrong"
	conn, err := clickhouse.Open(o)
	if err == nil {
		defer conn.Close()
		err = conn.Ping(context.Background())
	}
	var ex *clickhouse.Exception
	want := int32(516)
	if isReference() {
		want = 193 // 18.16 predates AUTHENTICATION_FAILED
	}
	if !errors.As(err, &ex) || ex.Code != want {
		t.Fatalf("want exception %d, got %v", want, err)
	}
}

// TestContextCancel: a 200 ms deadline on an endless-looking query ends it, and the pool is
// still usable afterwards (clickhouse-go sends Cancel and drops the connection).
func TestContextCancel(t *testing.T) {
	conn := open(t)
	for i := 0; i < 3; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		started := time.Now()
		rows, err := conn.Query(ctx, "SELECT count() FROM numbers(10000000000)")
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		cancel()
		if err == nil {
			t.Fatalf("query was not cancelled")
		}
		// clickhouse-go sets the context deadline on the socket too: whichever fires first, the error is
		// the context's or the socket's deadline (i/o timeout).
		if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, os.ErrDeadlineExceeded) &&
			!strings.Contains(err.Error(), "cancel") {
			t.Errorf("unexpected error: %v", err)
		}
		if el := time.Since(started); el > 10*time.Second {
			t.Errorf("cancel took %v", el)
		}
		var n uint64
		if err := conn.QueryRow(context.Background(), "SELECT count() FROM numbers(1000)").Scan(&n); err != nil || n != 1000 {
			t.Fatalf("pool not usable after cancel: %v %d", err, n)
		}
	}
	if err := conn.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func TestStreamingRows(t *testing.T) {
	conn := open(t)
	ctx, cancel := context.WithCancel(clickhouse.Context(context.Background(),
		clickhouse.WithSettings(clickhouse.Settings{"max_block_size": 1000})))
	defer cancel()
	rows, err := conn.Query(ctx, "SELECT number FROM system.numbers")
	if err != nil {
		t.Fatal(err)
	}
	n := uint64(0)
	for rows.Next() {
		var v uint64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != n {
			t.Fatalf("row %d = %d", n, v)
		}
		n++
		if n == 5000 {
			break
		}
	}
	cancel()
	rows.Close()
	if n != 5000 {
		t.Fatalf("only %d rows from an unbounded query: %v", n, rows.Err())
	}
	if err := conn.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func TestLargeBatchInsert(t *testing.T) {
	modernOnly(t, "INSERT header clickhouse-go understands (18.16 answers with a 0-column block first)")
	conn := open(t)
	ctx := context.Background()
	table := testDB + ".large"
	exec(t, conn, "CREATE TABLE "+table+" (id UInt64, v Int32, s String) ENGINE = MergeTree ORDER BY id")
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+table)
	if err != nil {
		t.Fatal(err)
	}
	const n = 1000000
	ids := make([]uint64, n)
	vs := make([]int32, n)
	ss := make([]string, n)
	var sumV int64
	for i := range ids {
		ids[i] = uint64(i)
		vs[i] = int32(i%1000) - 500
		sumV += int64(vs[i])
		ss[i] = fmt.Sprint(i % 97)
	}
	if err := batch.Column(0).Append(ids); err != nil {
		t.Fatal(err)
	}
	if err := batch.Column(1).Append(vs); err != nil {
		t.Fatal(err)
	}
	if err := batch.Column(2).Append(ss); err != nil {
		t.Fatal(err)
	}
	if err := batch.Send(); err != nil {
		t.Fatalf("Send: %v", err)
	}
	var count, sumID uint64
	var sv int64
	var uniq uint64
	if err := conn.QueryRow(ctx, "SELECT count(), sum(id), sum(v), uniqExact(s) FROM "+table).Scan(&count, &sumID, &sv, &uniq); err != nil {
		t.Fatal(err)
	}
	if count != n || sumID != n*(n-1)/2 || sv != sumV || uniq != 97 {
		t.Errorf("count %d sum(id) %d sum(v) %d uniq %d", count, sumID, sv, uniq)
	}
}

func TestConcurrentQueries(t *testing.T) {
	conn := open(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var s uint64
			if err := conn.QueryRow(context.Background(), fmt.Sprintf("SELECT sum(number) + %d FROM numbers(100000)", i)).Scan(&s); err != nil {
				errs <- err
				return
			}
			if s != 4999950000+uint64(i) {
				errs <- fmt.Errorf("query %d: %d", i, s)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
