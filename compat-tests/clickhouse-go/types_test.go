package compat

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"net"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

func ptr[T any](v T) *T { return &v }

func bigInt(s string) *big.Int {
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return b
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// typeCase is one column type: values appended through PrepareBatch and scanned back into
// variables of the same Go type (want, when set, is what comes back instead).
type typeCase struct {
	name   string
	typ    string
	values []any
	want   []any
	modern string // the feature name when 18.16 lacks it
}

var utc = time.UTC

func typeCases() []typeCase {
	berlin := mustLoc("Europe/Berlin")
	tokyo := mustLoc("Asia/Tokyo")
	return []typeCase{
		{name: "Int8", typ: "Int8", values: []any{int8(-128), int8(0), int8(127)}},
		{name: "Int16", typ: "Int16", values: []any{int16(-32768), int16(1), int16(32767)}},
		{name: "Int32", typ: "Int32", values: []any{int32(math.MinInt32), int32(2), int32(math.MaxInt32)}},
		{name: "Int64", typ: "Int64", values: []any{int64(math.MinInt64), int64(3), int64(math.MaxInt64)}},
		{name: "Int128", typ: "Int128", modern: "Int128", values: []any{
			bigInt("-170141183460469231731687303715884105728"), bigInt("4"), bigInt("170141183460469231731687303715884105727")}},
		{name: "Int256", typ: "Int256", modern: "Int256", values: []any{
			bigInt("-57896044618658097711785492504343953926634992332820282019728792003956564819968"), bigInt("5"),
			bigInt("57896044618658097711785492504343953926634992332820282019728792003956564819967")}},
		{name: "UInt8", typ: "UInt8", values: []any{uint8(0), uint8(1), uint8(255)}},
		{name: "UInt16", typ: "UInt16", values: []any{uint16(0), uint16(2), uint16(65535)}},
		{name: "UInt32", typ: "UInt32", values: []any{uint32(0), uint32(3), uint32(math.MaxUint32)}},
		{name: "UInt64", typ: "UInt64", values: []any{uint64(0), uint64(4), uint64(math.MaxUint64)}},
		{name: "UInt128", typ: "UInt128", modern: "UInt128", values: []any{
			bigInt("0"), bigInt("5"), bigInt("340282366920938463463374607431768211455")}},
		{name: "UInt256", typ: "UInt256", modern: "UInt256", values: []any{
			bigInt("0"), bigInt("6"),
			bigInt("115792089237316195423570985008687907853269984665640564039457584007913129639935")}},
		{name: "Float32", typ: "Float32", values: []any{float32(-1.5), float32(0), float32(1099512676352)}},
		{name: "Float64", typ: "Float64", values: []any{-1e-300, 0.1, math.MaxFloat64}},
		{name: "Decimal32", typ: "Decimal32(4)", values: []any{dec("-99999.9999"), dec("0.0001"), dec("12345.6789")}},
		{name: "Decimal64", typ: "Decimal64(6)", values: []any{dec("-123456789012.123456"), dec("0"), dec("1.5")}},
		{name: "Decimal128", typ: "Decimal128(10)", values: []any{
			dec("-1234567890123456789012345678.0123456789"), dec("0.5"), dec("7")}},
		{name: "Decimal256", typ: "Decimal256(20)", modern: "Decimal256", values: []any{
			dec("-12345678901234567890123456789012345678901234567890.12345678901234567890"),
			dec("0.00000000000000000001"), dec("3")}},
		{name: "Bool", typ: "Bool", modern: "Bool", values: []any{true, false, true}},
		{name: "String", typ: "String", values: []any{"", "héllo wörld", "tab\there\nnewline 'quote' \\ back"}},
		{name: "FixedString", typ: "FixedString(5)", values: []any{"ab", "12345", ""},
			want: []any{"ab\x00\x00\x00", "12345", "\x00\x00\x00\x00\x00"}},
		{name: "Date", typ: "Date", values: []any{
			time.Date(1970, 1, 1, 0, 0, 0, 0, utc), time.Date(2024, 2, 29, 0, 0, 0, 0, utc), time.Date(2149, 6, 6, 0, 0, 0, 0, utc)}},
		{name: "Date32", typ: "Date32", modern: "Date32", values: []any{
			time.Date(1900, 1, 1, 0, 0, 0, 0, utc), time.Date(1969, 12, 31, 0, 0, 0, 0, utc), time.Date(2299, 12, 31, 0, 0, 0, 0, utc)}},
		{name: "DateTime", typ: "DateTime('UTC')", values: []any{
			time.Date(1970, 1, 1, 0, 0, 1, 0, utc), time.Date(2024, 2, 29, 12, 34, 56, 0, utc), time.Date(2106, 2, 7, 6, 28, 15, 0, utc)}},
		{name: "DateTimeTZ", typ: "DateTime('Europe/Berlin')", values: []any{
			time.Date(2024, 3, 31, 1, 59, 59, 0, berlin), time.Date(2024, 3, 31, 3, 0, 0, 0, berlin), time.Date(2000, 1, 1, 0, 0, 0, 0, utc)}},
		{name: "DateTime64_3", typ: "DateTime64(3, 'Asia/Tokyo')", modern: "DateTime64", values: []any{
			time.Date(1925, 1, 1, 0, 0, 0, 1e6, tokyo), time.Date(2024, 2, 29, 23, 59, 59, 999e6, tokyo), time.Date(2262, 4, 11, 0, 0, 0, 0, utc)}},
		{name: "DateTime64_6", typ: "DateTime64(6, 'UTC')", modern: "DateTime64", values: []any{
			time.Date(1970, 1, 1, 0, 0, 0, 1000, utc), time.Date(2024, 2, 29, 23, 59, 59, 999999000, utc), time.Date(1969, 12, 31, 23, 59, 59, 5e8, utc)}},
		{name: "UUID", typ: "UUID", values: []any{uuid.Nil, uuid.MustParse("61f0c404-5cb3-11e7-907b-a6006ad3dba0"),
			uuid.MustParse("ffffffff-ffff-ffff-ffff-ffffffffffff")}},
		{name: "IPv4", typ: "IPv4", modern: "IPv4", values: []any{net.ParseIP("0.0.0.0").To4(), net.ParseIP("192.168.1.254").To4(),
			net.ParseIP("255.255.255.255").To4()}},
		{name: "IPv6", typ: "IPv6", modern: "IPv6", values: []any{net.ParseIP("::"), net.ParseIP("2001:db8::8a2e:370:7334"),
			net.ParseIP("::ffff:10.0.0.1")}},
		{name: "Enum8", typ: "Enum8('b' = -128, 'a' = 1, 'c d' = 127)", values: []any{"a", "b", "c d"}},
		{name: "Enum16", typ: "Enum16('x' = -32768, 'y' = 0, 'z' = 32767)", values: []any{"x", "y", "z"}},
		{name: "NullableInt32", typ: "Nullable(Int32)", values: []any{(*int32)(nil), ptr(int32(-7)), ptr(int32(7))}},
		{name: "NullableString", typ: "Nullable(String)", values: []any{ptr("x"), (*string)(nil), ptr("")}},
		{name: "NullableDateTime", typ: "Nullable(DateTime('UTC'))", values: []any{(*time.Time)(nil), ptr(time.Date(2020, 5, 6, 7, 8, 9, 0, utc)), (*time.Time)(nil)}},
		{name: "ArrayUInt8", typ: "Array(UInt8)", values: []any{[]uint8{}, []uint8{1, 2, 3}, []uint8{255}}},
		{name: "ArrayNested", typ: "Array(Array(Nullable(String)))", values: []any{
			[][]*string{}, [][]*string{{ptr("a"), nil}, {}}, [][]*string{{nil}, {ptr("b"), ptr("c"), ptr("d")}}}},
		{name: "Tuple", typ: "Tuple(Int32, String)", values: []any{[]any{int32(1), "a"}, []any{int32(-2), ""}, []any{int32(0), "zz"}}},
		{name: "TupleNested", typ: "Tuple(UInt8, Array(Int16), Nullable(Float64), String)", values: []any{
			[]any{uint8(1), []int16{1, -1}, (*float64)(nil), "a"},
			[]any{uint8(2), []int16{}, ptr(2.5), ""},
			[]any{uint8(3), []int16{32767}, ptr(-1.0), "c"}}},
		{name: "NamedTuple", typ: "Tuple(a String, b Int64)", modern: "named tuples", values: []any{
			map[string]any{"a": "x", "b": int64(1)}, map[string]any{"a": "", "b": int64(-1)}, map[string]any{"a": "z", "b": int64(0)}}},
		{name: "Map", typ: "Map(String, UInt64)", modern: "Map", values: []any{
			map[string]uint64{}, map[string]uint64{"a": 1, "b": 2}, map[string]uint64{"c": math.MaxUint64}}},
		{name: "MapNested", typ: "Map(String, Array(Nullable(Int8)))", modern: "Map", values: []any{
			map[string][]*int8{"k": {ptr(int8(1)), nil}}, map[string][]*int8{}, map[string][]*int8{"a": {}, "b": {ptr(int8(-1))}}}},
		{name: "LowCardinality", typ: "LowCardinality(String)", values: []any{"a", "", "a long low-cardinality value"}},
		{name: "LowCardinalityNullable", typ: "LowCardinality(Nullable(String))", values: []any{(*string)(nil), ptr("x"), ptr("x")}},
	}
}

// norm renders a value for comparison: instants for times, decimal text for numbers held as
// big.Int/decimal, canonical text for IPs; containers recursively, maps by sorted key.
func norm(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case *big.Int:
		if x == nil {
			return "NULL"
		}
		return x.String()
	case big.Int:
		return x.String()
	case decimal.Decimal:
		return x.String()
	case net.IP:
		if v4 := x.To4(); v4 != nil && len(x) == 4 {
			return v4.String()
		}
		return x.String()
	case uuid.UUID:
		return x.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return "NULL"
		}
		return norm(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 && rv.Kind() == reflect.Slice && rv.Type() != reflect.TypeOf([]uint8{}) {
			return fmt.Sprintf("%x", rv.Bytes())
		}
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = norm(rv.Index(i).Interface())
		}
		return "[" + strings.Join(parts, ",") + "]"
	case reflect.Map:
		parts := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			parts = append(parts, norm(k.Interface())+":"+norm(rv.MapIndex(k).Interface()))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case reflect.Interface:
		if rv.IsNil() {
			return "NULL"
		}
		return norm(rv.Elem().Interface())
	}
	return fmt.Sprintf("%v", v)
}

// TestTypesBatchInsertAndScan: PrepareBatch (Append per row and per column) of every type, then
// Query scanning into variables of the same Go types.
func TestTypesBatchInsertAndScan(t *testing.T) {
	conn := open(t)
	ctx := context.Background()
	for _, tc := range typeCases() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.modern != "" {
				modernOnly(t, tc.modern)
			}
			modernOnly(t, "INSERT header clickhouse-go understands (18.16 answers with a 0-column block first)")
			table := fmt.Sprintf("%s.types_%s", testDB, strings.ToLower(tc.name))
			exec(t, conn, "DROP TABLE IF EXISTS "+table)
			exec(t, conn, fmt.Sprintf("CREATE TABLE %s (k UInt32, v %s) ENGINE = MergeTree ORDER BY k", table, tc.typ))

			batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+table)
			if err != nil {
				t.Fatalf("PrepareBatch: %v", err)
			}
			for i, v := range tc.values {
				if err := batch.Append(uint32(i), v); err != nil {
					t.Fatalf("Append(%d, %#v): %v", i, v, err)
				}
			}
			if err := batch.Send(); err != nil {
				t.Fatalf("Send (row batch): %v", err)
			}

			// the same values again, appended column by column
			batch, err = conn.PrepareBatch(ctx, "INSERT INTO "+table+" (k, v)")
			if err != nil {
				t.Fatalf("PrepareBatch (columnar): %v", err)
			}
			ks := make([]uint32, len(tc.values))
			for i := range ks {
				ks[i] = uint32(10 + i)
			}
			if err := batch.Column(0).Append(ks); err != nil {
				t.Fatalf("Column(0).Append: %v", err)
			}
			col := reflect.MakeSlice(reflect.SliceOf(reflect.TypeOf(tc.values[0])), 0, len(tc.values))
			for _, v := range tc.values {
				col = reflect.Append(col, reflect.ValueOf(v))
			}
			if err := batch.Column(1).Append(col.Interface()); err != nil {
				t.Fatalf("Column(1).Append(%T): %v", col.Interface(), err)
			}
			if err := batch.Send(); err != nil {
				t.Fatalf("Send (columnar batch): %v", err)
			}

			want := tc.want
			if want == nil {
				want = tc.values
			}
			rows, err := conn.Query(ctx, "SELECT k, v FROM "+table+" ORDER BY k")
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			defer rows.Close()
			if ct := rows.ColumnTypes(); len(ct) != 2 || strings.ReplaceAll(ct[1].DatabaseTypeName(), " ", "") != strings.ReplaceAll(canonical(tc.typ), " ", "") {
				t.Errorf("column type %q, want %q", ct[1].DatabaseTypeName(), canonical(tc.typ))
			}
			var got []string
			var ksGot []uint32
			for rows.Next() {
				var k uint32
				dest := reflect.New(reflect.TypeOf(tc.values[0]))
				if err := rows.Scan(&k, dest.Interface()); err != nil {
					t.Fatalf("Scan into %T: %v", dest.Interface(), err)
				}
				ksGot = append(ksGot, k)
				got = append(got, norm(dest.Elem().Interface()))
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("rows.Err: %v", err)
			}
			var exp []string
			for _, v := range append(append([]any{}, want...), want...) {
				exp = append(exp, norm(v))
			}
			if !reflect.DeepEqual(got, exp) {
				t.Errorf("values:\n got  %v\n want %v", got, exp)
			}
			if len(ksGot) != 2*len(tc.values) {
				t.Errorf("keys: %v", ksGot)
			}
		})
	}
}

func canonical(typ string) string {
	switch typ {
	case "Decimal32(4)":
		return "Decimal(9, 4)"
	case "Decimal64(6)":
		return "Decimal(18, 6)"
	case "Decimal128(10)":
		return "Decimal(38, 10)"
	case "Decimal256(20)":
		return "Decimal(76, 20)"
	}
	return typ
}

// TestQueryParametersBind: positional/named bind parameters (the driver substitutes them).
func TestQueryBindParameters(t *testing.T) {
	conn := open(t)
	var (
		i   int64
		s   string
		tm  time.Time
		arr []int32
	)
	when := time.Date(2024, 2, 29, 12, 0, 0, 0, utc)
	err := conn.QueryRow(context.Background(), "SELECT toInt64(?) + 1, ?, toDateTime(?, 'UTC'), CAST(? AS Array(Int32))",
		int64(41), "it's", when, []int32{1, -2}).Scan(&i, &s, &tm, &arr)
	if err != nil {
		t.Fatal(err)
	}
	if i != 42 || s != "it's" || !tm.Equal(when) || !reflect.DeepEqual(arr, []int32{1, -2}) {
		t.Errorf("got %v %q %v %v", i, s, tm, arr)
	}
}

// TestSelectIntoStruct: conn.Select fills a slice of structs by ch tags.
func TestSelectIntoStruct(t *testing.T) {
	conn := open(t)
	var out []struct {
		N   uint64    `ch:"n"`
		S   string    `ch:"s"`
		Opt *string   `ch:"opt"`
		T   time.Time `ch:"t"`
	}
	err := conn.Select(context.Background(), &out, "SELECT number AS n, toString(number) AS s, "+
		"if(number % 2 = 0, NULL, 'odd') AS opt, toDateTime(1700000000 + number, 'UTC') AS t FROM numbers(4)")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 4 || out[3].N != 3 || out[3].S != "3" || out[0].Opt != nil || *out[1].Opt != "odd" ||
		out[2].T.Unix() != 1700000002 {
		t.Errorf("got %+v", out)
	}
}
