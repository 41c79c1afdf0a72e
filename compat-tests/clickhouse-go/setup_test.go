// Package compat runs clickhouse-go v2 (the driver Grafana's ClickHouse plugin uses) against a
// server's native TCP port: COMPAT_TCP_PORT (set by run.sh through with-server.mjs),
// COMPAT_SERVER_KIND ("reference" = ClickHouse 18.16, where tests of newer features are skipped,
// and only there). One database per run, dropped at the end.
package compat

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

var (
	testDB string
	addr   string
)

// readTimeout is how long a read may block (COMPAT_RECV_TIMEOUT seconds, default 20): a server
// that stops answering fails the test instead of hanging the run.
func readTimeout() time.Duration {
	if s := os.Getenv("COMPAT_RECV_TIMEOUT"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
	}
	return 20 * time.Second
}

func isReference() bool { return os.Getenv("COMPAT_SERVER_KIND") == "reference" }

// modernOnly skips a test on the 18.16 reference only: the feature is newer than it.
func modernOnly(t *testing.T, what string) {
	t.Helper()
	if isReference() {
		t.Skipf("ClickHouse 18.16 has no %s", what)
	}
}

func options(compress bool) *clickhouse.Options {
	o := &clickhouse.Options{
		Addr:         []string{addr},
		Auth:         clickhouse.Auth{Database: "default", Username: "default", Password: ""},
		DialTimeout:  10 * time.Second,
		ReadTimeout:  readTimeout(),
		MaxOpenConns: 4,
		MaxIdleConns: 4,
	}
	if compress {
		o.Compression = &clickhouse.Compression{Method: clickhouse.CompressionLZ4}
	}
	return o
}

// open returns a native connection with LZ4 compression on (as the Grafana plugin configures it).
func open(t *testing.T) driver.Conn {
	t.Helper()
	conn, err := clickhouse.Open(options(true))
	if err != nil {
		t.Fatalf("clickhouse.Open: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// openDB returns a database/sql handle (what the Grafana plugin uses) with LZ4 on.
func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db := clickhouse.OpenDB(options(true))
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func exec(t *testing.T, conn driver.Conn, q string, args ...any) {
	t.Helper()
	if err := conn.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestMain(m *testing.M) {
	port := os.Getenv("COMPAT_TCP_PORT")
	if port == "" {
		fmt.Println("COMPAT_TCP_PORT is not set: the server has no native TCP listener (run compat-tests/clickhouse-go/run.sh)")
		os.Exit(3)
	}
	addr = "127.0.0.1:" + port
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	testDB = "go_compat_" + hex.EncodeToString(b)
	conn, err := clickhouse.Open(options(false))
	if err == nil {
		err = conn.Exec(context.Background(), "CREATE DATABASE "+testDB)
	}
	if err != nil {
		fmt.Printf("setup: cannot create the test database over the native protocol: %v\n", err)
		os.Exit(3)
	}
	code := m.Run()
	_ = conn.Exec(context.Background(), "DROP DATABASE "+testDB)
	_ = conn.Close()
	os.Exit(code)
}
