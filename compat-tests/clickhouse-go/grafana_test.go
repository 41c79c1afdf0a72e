package compat

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The queries the Grafana ClickHouse plugin sends (through database/sql on clickhouse-go, native
// protocol with LZ4): the data-source health check, the query editor's schema browser, template
// variables and a time-series panel with $__timeFilter and $__timeInterval expanded.

const grafanaBase = 1699999980 // a whole minute

func grafanaSetup(t *testing.T, db *sql.DB) string {
	t.Helper()
	table := "metrics"
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS "%s"."%s" (ts DateTime('UTC'), host LowCardinality(String), v Float64, note Nullable(String)) ENGINE = MergeTree ORDER BY ts`, testDB, table)); err != nil {
		t.Fatalf("create: %v", err)
	}
	var n uint64
	if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count() FROM "%s"."%s"`, testDB, table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		return table
	}
	// The plugin never inserts; fill the table in one INSERT … SELECT (works on every server).
	if _, err := db.ExecContext(ctx, fmt.Sprintf(`INSERT INTO "%s"."%s" SELECT toDateTime(%d + 10 * number, 'UTC'), `+
		`if(number %% 2 = 1, 'b', 'a'), toFloat64(number), if(number %% 3 = 0, concat('n', toString(number)), NULL) `+
		`FROM numbers(360)`, testDB, table, grafanaBase)); err != nil {
		t.Fatalf("insert: %v", err)
	}
	return table
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatalf("%s: scan: %v", q, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestGrafanaSchemaQueries(t *testing.T) {
	db := openDB(t)
	table := grafanaSetup(t, db)
	ctx := context.Background()

	if err := db.PingContext(ctx); err != nil { // the health check
		t.Fatalf("health check Ping: %v", err)
	}
	var version string
	if err := db.QueryRowContext(ctx, "SELECT version()").Scan(&version); err != nil {
		t.Fatalf("SELECT version(): %v", err)
	}
	if !isReference() {
		parts := strings.SplitN(version, ".", 3)
		var major, minor int
		fmt.Sscanf(parts[0]+" "+parts[1], "%d %d", &major, &minor)
		if major < 22 || (major == 22 && minor < 7) {
			t.Errorf("version() = %q: the plugin expects ≥ 22.7", version)
		}
	}
	if dbs := queryStrings(t, db, "SHOW DATABASES"); !contains(dbs, testDB) || !contains(dbs, "system") {
		t.Errorf("SHOW DATABASES = %v", dbs)
	}
	if tables := queryStrings(t, db, fmt.Sprintf(`SHOW TABLES FROM "%s"`, testDB)); !contains(tables, table) {
		t.Errorf("SHOW TABLES = %v", tables)
	}

	rows, err := db.QueryContext(ctx, fmt.Sprintf(`DESC TABLE "%s"."%s"`, testDB, table))
	if err != nil {
		t.Fatalf("DESC TABLE: %v", err)
	}
	cols, _ := rows.Columns()
	if len(cols) < 2 || cols[0] != "name" || cols[1] != "type" {
		t.Errorf("DESC columns %v", cols)
	}
	var desc []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		desc = append(desc, fmt.Sprintf("%v %v", vals[0], vals[1]))
	}
	rows.Close()
	if strings.Join(desc, ", ") != "ts DateTime('UTC'), host LowCardinality(String), v Float64, note Nullable(String)" {
		t.Errorf("DESC = %v", desc)
	}

	// the query editor's column list
	rows, err = db.QueryContext(ctx, fmt.Sprintf("SELECT name, type, table FROM system.columns WHERE database IN ('%s') AND table = '%s'", testDB, table))
	if err != nil {
		t.Fatalf("system.columns: %v", err)
	}
	var colList []string
	for rows.Next() {
		var name, typ, tbl string
		if err := rows.Scan(&name, &typ, &tbl); err != nil {
			t.Fatal(err)
		}
		colList = append(colList, name+":"+typ+":"+tbl)
	}
	rows.Close()
	if strings.Join(colList, ",") != "ts:DateTime('UTC'):metrics,host:LowCardinality(String):metrics,v:Float64:metrics,note:Nullable(String):metrics" {
		t.Errorf("system.columns = %v", colList)
	}
}

func TestGrafanaFunctionsList(t *testing.T) {
	modernOnly(t, "system.functions columns origin, description, syntax, … (added in 22.x)")
	db := openDB(t)
	rows, err := db.QueryContext(context.Background(), "SELECT name, is_aggregate, case_insensitive, alias_to, origin, description, syntax, arguments, returned_value, examples, categories FROM system.functions LIMIT 10000")
	if err != nil {
		t.Fatalf("system.functions: %v", err)
	}
	defer rows.Close()
	n := 0
	seen := map[string]bool{}
	for rows.Next() {
		var name, alias, origin, desc, syntax, args, ret, examples, cats string
		var isAgg, ci uint8
		if err := rows.Scan(&name, &isAgg, &ci, &alias, &origin, &desc, &syntax, &args, &ret, &examples, &cats); err != nil {
			t.Fatalf("scan: %v", err)
		}
		seen[name] = isAgg == 1
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	agg, present := seen["toStartOfInterval"]
	if n < 50 || !seen["count"] || !present || agg {
		t.Errorf("%d functions; count aggregate=%v, toStartOfInterval present=%v aggregate=%v", n, seen["count"], present, agg)
	}
}

func TestGrafanaVariableQueries(t *testing.T) {
	db := openDB(t)
	table := grafanaSetup(t, db)
	if dbs := queryStrings(t, db, "SELECT name FROM system.databases ORDER BY name"); !contains(dbs, testDB) {
		t.Errorf("databases %v", dbs)
	}
	if tables := queryStrings(t, db, fmt.Sprintf("SELECT name FROM system.tables WHERE database = '%s' ORDER BY name", testDB)); !contains(tables, table) {
		t.Errorf("tables %v", tables)
	}
	if cols := queryStrings(t, db, fmt.Sprintf("SELECT name FROM system.columns WHERE database = '%s' AND table = '%s' ORDER BY name", testDB, table)); strings.Join(cols, ",") != "host,note,ts,v" {
		t.Errorf("columns %v", cols)
	}
	if hosts := queryStrings(t, db, fmt.Sprintf(`SELECT DISTINCT host FROM "%s"."%s" ORDER BY host`, testDB, table)); strings.Join(hosts, ",") != "a,b" {
		t.Errorf("hosts %v", hosts)
	}
}

func TestGrafanaTimeSeries(t *testing.T) {
	modernOnly(t, "toStartOfInterval")
	db := openDB(t)
	table := grafanaSetup(t, db)
	from, to := grafanaBase, grafanaBase+1799
	// $__timeInterval(ts) → toStartOfInterval(ts, INTERVAL 60 second); $__timeFilter(ts) → ts >= toDateTime(from) AND ts <= toDateTime(to)
	q := fmt.Sprintf(`SELECT toStartOfInterval("ts", INTERVAL 60 second) AS time, "host", avg("v") AS avg_v, count() AS c `+
		`FROM "%s"."%s" WHERE "ts" >= toDateTime(%d) AND "ts" <= toDateTime(%d) AND "host" IN ('a', 'b') `+
		`GROUP BY time, "host" ORDER BY time, "host"`, testDB, table, from, to)
	rows, err := db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("time series: %v", err)
	}
	defer rows.Close()
	types, _ := rows.ColumnTypes()
	if len(types) != 4 || !strings.HasPrefix(types[0].DatabaseTypeName(), "DateTime") {
		t.Errorf("column types %v", types)
	}
	n := 0
	for rows.Next() {
		var tm time.Time
		var host string
		var v float64
		var c uint64
		if err := rows.Scan(&tm, &host, &v, &c); err != nil {
			t.Fatal(err)
		}
		bucket := n / 2
		wantHost := []string{"a", "b"}[n%2]
		first := bucket*6 + n%2 // i of the first row of this host in this minute
		wantAvg := float64(first+first+2+first+4) / 3
		if tm.Unix() != int64(grafanaBase+60*bucket) || host != wantHost || v != wantAvg || c != 3 {
			t.Errorf("row %d: %v %s %v %d, want %d %s %v 3", n, tm.Unix(), host, v, c, grafanaBase+60*bucket, wantHost, wantAvg)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 60 {
		t.Errorf("%d rows, want 60", n)
	}

	// a logs/table panel: raw rows with a Nullable column and a LIMIT
	rows2, err := db.QueryContext(context.Background(), fmt.Sprintf(`SELECT "ts", "host", "v", "note" FROM "%s"."%s" WHERE "ts" >= toDateTime(%d) AND "ts" <= toDateTime(%d) ORDER BY "ts" DESC LIMIT 5`, testDB, table, from, to))
	if err != nil {
		t.Fatal(err)
	}
	defer rows2.Close()
	var notes []string
	for rows2.Next() {
		var tm time.Time
		var host string
		var v float64
		var note sql.NullString
		if err := rows2.Scan(&tm, &host, &v, &note); err != nil {
			t.Fatal(err)
		}
		if note.Valid {
			notes = append(notes, note.String)
		} else {
			notes = append(notes, "NULL")
		}
	}
	if strings.Join(notes, ",") != "NULL,NULL,n177,NULL,NULL" {
		t.Errorf("notes %v", notes)
	}
}
