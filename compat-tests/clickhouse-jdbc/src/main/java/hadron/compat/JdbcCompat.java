package hadron.compat;

import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Drives the real ClickHouse JDBC driver (com.clickhouse:clickhouse-jdbc, v2 API over HTTP,
 * default settings: compressed responses in ClickHouse's native block framing) against the
 * server at COMPAT_SERVER_URL, and ends with the line {@code N passed, N failed, N skipped}.
 * Arguments: {@code --strict} (exit 1 unless everything passed), {@code --rows N}.
 */
public final class JdbcCompat {
  interface Body {
    void run() throws Exception;
  }

  private final String jdbcUrl;
  private final Properties props = new Properties();
  private final String db = "jdbc_compat_" + Long.toString(System.currentTimeMillis(), 36);
  private final int rows;
  private final Map<String, Boolean> outcome = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private int passed;
  private int failed;
  private int skipped;
  private Connection conn;

  private JdbcCompat(String serverUrl, int rows) {
    URI u = URI.create(serverUrl);
    this.jdbcUrl = "jdbc:clickhouse://" + u.getHost() + ":" + u.getPort() + "/default";
    this.rows = rows;
    props.setProperty("user", "default");
    props.setProperty("password", "");
  }

  public static void main(String[] args) {
    boolean strict = false;
    int rows = 1_000_000;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--strict")) strict = true;
      else if (args[i].equals("--rows")) rows = Integer.parseInt(args[++i]);
    }
    String url = System.getenv("COMPAT_SERVER_URL");
    if (url == null || url.isEmpty()) {
      System.out.println("COMPAT_SERVER_URL is not set: run compat-tests/clickhouse-jdbc/run.sh");
      System.out.println("0 passed, 1 failed, 0 skipped");
      System.exit(strict ? 1 : 0);
    }
    JdbcCompat suite = new JdbcCompat(url, rows);
    suite.runAll();
    System.out.println(suite.passed + " passed, " + suite.failed + " failed, " + suite.skipped + " skipped");
    System.exit(strict && (suite.failed > 0 || suite.skipped > 0) ? 1 : 0);
  }

  private void check(String name, String[] after, Body body) {
    for (String a : after) {
      if (!Boolean.TRUE.equals(outcome.get(a))) {
        skipped++;
        outcome.put(name, false);
        System.out.println("skip  " + name + " (needs: " + a + ")");
        return;
      }
    }
    long t0 = System.nanoTime();
    try {
      body.run();
      passed++;
      outcome.put(name, true);
      System.out.println("ok    " + name + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
    } catch (Throwable e) {
      failed++;
      outcome.put(name, false);
      String msg = describe(e);
      failures.add(name + ": " + msg);
      System.out.println("FAIL  " + name + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms)\n      " + msg.replace("\n", "\n      "));
    }
  }

  private void check(String name, Body body) {
    check(name, new String[0], body);
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    Throwable t = e;
    for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
      if (depth > 0) sb.append("\n  caused by ");
      sb.append(t.getClass().getSimpleName());
      if (t instanceof SQLException se) sb.append(" [errorCode ").append(se.getErrorCode()).append(", SQLState ").append(se.getSQLState()).append(']');
      sb.append(": ").append(t.getMessage());
    }
    String s = sb.toString();
    return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
  }

  private static void expect(boolean cond, String message) {
    if (!cond) throw new AssertionError(message);
  }

  private static void expectEq(Object actual, Object expected, String what) {
    if (expected == null ? actual != null : !expected.equals(actual)) {
      throw new AssertionError(what + ": expected <" + expected + ">, got <" + actual + ">" + (actual == null ? "" : " (" + actual.getClass().getSimpleName() + ")"));
    }
  }

  private static final String[] NONE = {};

  private void runAll() {
    final String table = db + ".items";
    check("connect with defaults (HTTP, compress=1)", () -> {
      conn = DriverManager.getConnection(jdbcUrl, props);
      expect(conn.isValid(10), "connection not valid");
    });
    String[] connected = {"connect with defaults (HTTP, compress=1)"};

    check("DatabaseMetaData product name and version", connected, () -> {
      DatabaseMetaData md = conn.getMetaData();
      expect(md.getDatabaseProductVersion() != null && md.getDatabaseProductVersion().matches("^\\d+\\.\\d+.*"), "version: " + md.getDatabaseProductVersion());
      expect(md.getDatabaseMajorVersion() >= 22, "major version " + md.getDatabaseMajorVersion() + " < 22");
      expect(md.getDatabaseProductName() != null, "product name");
    });

    check("SELECT version(), currentUser(), timezone()", connected, () -> {
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT version(), currentUser(), timezone()")) {
        expect(rs.next(), "no row");
        expect(rs.getString(1).matches("^\\d+\\.\\d+.*"), "version " + rs.getString(1));
        expectEq(rs.getString(2), "default", "currentUser()");
        expect(!rs.getString(3).isEmpty(), "timezone empty");
        expect(!rs.next(), "more than one row");
      }
    });

    check("CREATE DATABASE and MergeTree table", connected, () -> {
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE DATABASE " + db);
        st.execute("CREATE TABLE " + table + " (id UInt32, name String, price Decimal(18, 4), day Date, ts DateTime('UTC'),"
            + " flag Bool, uid UUID, tags Array(String), note Nullable(String), big Int64, ratio Float64)"
            + " ENGINE = MergeTree ORDER BY id");
      }
    });
    String[] created = {"CREATE DATABASE and MergeTree table"};

    check("DatabaseMetaData.getSchemas", created, () -> {
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = conn.getMetaData().getSchemas()) {
        while (rs.next()) schemas.add(rs.getString("TABLE_SCHEM"));
      }
      expect(schemas.contains(db), db + " not in " + schemas);
      expect(schemas.contains("system"), "system not in " + schemas);
    });

    check("DatabaseMetaData.getTables", created, () -> {
      List<String> found = new ArrayList<>();
      try (ResultSet rs = conn.getMetaData().getTables(null, db, "%", null)) {
        while (rs.next()) found.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
      }
      expect(found.size() == 1 && found.get(0).startsWith(table + ":"), "tables: " + found);
    });

    check("DatabaseMetaData.getColumns", created, () -> {
      List<String> cols = new ArrayList<>();
      try (ResultSet rs = conn.getMetaData().getColumns(null, db, "items", "%")) {
        while (rs.next()) {
          cols.add(rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " " + rs.getString("IS_NULLABLE"));
        }
      }
      List<String> want = List.of(
          "1 id UInt32 NO", "2 name String NO", "3 price Decimal(18, 4) NO", "4 day Date NO",
          "5 ts DateTime('UTC') NO", "6 flag Bool NO", "7 uid UUID NO", "8 tags Array(String) NO",
          "9 note Nullable(String) YES", "10 big Int64 NO", "11 ratio Float64 NO");
      expectEq(cols, want, "columns");
    });

    check("DatabaseMetaData.getPrimaryKeys", created, () -> {
      List<String> keys = new ArrayList<>();
      try (ResultSet rs = conn.getMetaData().getPrimaryKeys(null, db, "items")) {
        while (rs.next()) keys.add(rs.getString("COLUMN_NAME") + "@" + rs.getInt("KEY_SEQ"));
      }
      expectEq(keys, List.of("id@1"), "primary key columns");
    });

    check("DatabaseMetaData.getTypeInfo", connected, () -> {
      int n = 0;
      try (ResultSet rs = conn.getMetaData().getTypeInfo()) {
        while (rs.next()) n++;
      }
      expect(n > 10, "getTypeInfo returned " + n + " types");
    });

    check("DatabaseMetaData.getCatalogs / getFunctions / getClientInfoProperties", connected, () -> {
      DatabaseMetaData md = conn.getMetaData();
      try (ResultSet rs = md.getCatalogs()) {
        while (rs.next()) rs.getString(1);
      }
      int functions = 0;
      try (ResultSet rs = md.getFunctions(null, null, "to%")) {
        while (rs.next()) functions++;
      }
      expect(functions > 5, "getFunctions('to%') returned " + functions);
      try (ResultSet rs = md.getClientInfoProperties()) {
        while (rs.next()) rs.getString(1);
      }
    });

    check("PreparedStatement INSERT batch with parameters of several types", created, () -> {
      String sql = "INSERT INTO " + table + " (id, name, price, day, ts, flag, uid, tags, note, big, ratio) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        for (int i = 0; i < 1000; i++) {
          ps.setInt(1, i);
          ps.setString(2, i == 7 ? "it's \"q\" \\ \t" : "n" + i);
          ps.setBigDecimal(3, new BigDecimal("12.3456").add(BigDecimal.valueOf(i)));
          ps.setDate(4, Date.valueOf(LocalDate.of(2024, 1, 1).plusDays(i)));
          ps.setTimestamp(5, Timestamp.valueOf(LocalDateTime.of(2024, 1, 1, 0, 0, 0).plusSeconds(i)));
          ps.setBoolean(6, i % 2 == 0);
          ps.setObject(7, new UUID(0, i));
          ps.setArray(8, conn.createArrayOf("String", new String[] {"a" + i, "b"}));
          if (i % 3 == 0) ps.setNull(9, java.sql.Types.VARCHAR);
          else ps.setString(9, "note" + i);
          ps.setLong(10, -9_000_000_000_000_000_000L + i);
          ps.setDouble(11, i / 8.0);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        long total = 0;
        for (int c : counts) total += Math.max(c, 0);
        expect(counts.length == 1000 || total == 1000, "executeBatch counts: " + counts.length + " entries, total " + total);
      }
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(), sum(id) FROM " + table)) {
        expect(rs.next(), "no row");
        expectEq(rs.getLong(1), 1000L, "count()");
        expectEq(rs.getLong(2), 499500L, "sum(id)");
      }
    });
    // The read-back checks need the rows, not the batch path: when the batch failed, load the
    // same rows with INSERT … SELECT so that the getters and SELECT parameters are still tested.
    check("items table holds 1000 rows", created, () -> {
      try (Statement st = conn.createStatement()) {
        if (!Boolean.TRUE.equals(outcome.get("PreparedStatement INSERT batch with parameters of several types"))) {
          st.execute("TRUNCATE TABLE " + table);
          st.execute("INSERT INTO " + table + " (id, name, price, day, ts, flag, uid, tags, note, big, ratio)"
              + " SELECT number, if(number = 7, 'it\\'s \"q\" \\\\ \t', concat('n', toString(number))),"
              + " toDecimal64('12.3456', 4) + number, toDate('2024-01-01') + number, toDateTime('2024-01-01 00:00:00', 'UTC') + number,"
              + " number % 2 = 0, toUUID(concat('00000000-0000-0000-0000-', leftPad(hex(number), 12, '0'))), ['a' || toString(number), 'b'],"
              + " if(number % 3 = 0, NULL, concat('note', toString(number))), -9000000000000000000 + number, number / 8"
              + " FROM numbers(1000)");
          System.out.println("      (loaded with INSERT … SELECT, because the batch insert failed)");
        }
        try (ResultSet rs = st.executeQuery("SELECT count() FROM " + table)) {
          expect(rs.next(), "no row");
          expectEq(rs.getLong(1), 1000L, "count()");
        }
      }
    });
    String[] inserted = {"items table holds 1000 rows"};

    check("PreparedStatement SELECT with parameters; values read back by type", inserted, () -> {
      String sql = "SELECT id, name, price, day, ts, flag, uid, tags, note, big, ratio FROM " + table + " WHERE id = ? AND name = ? AND day >= ? ORDER BY id";
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        ps.setInt(1, 7);
        ps.setString(2, "it's \"q\" \\ \t");
        ps.setDate(3, Date.valueOf(LocalDate.of(2024, 1, 1)));
        try (ResultSet rs = ps.executeQuery()) {
          expect(rs.next(), "no row for id 7");
          expectEq(rs.getInt(1), 7, "id");
          expectEq(rs.getString(2), "it's \"q\" \\ \t", "name");
          expectEq(rs.getBigDecimal(3).stripTrailingZeros(), new BigDecimal("19.3456"), "price");
          expectEq(rs.getDate(4).toLocalDate(), LocalDate.of(2024, 1, 8), "day");
          expectEq(rs.getObject(5, LocalDateTime.class), LocalDateTime.of(2024, 1, 1, 0, 0, 7), "ts");
          expectEq(rs.getBoolean(6), false, "flag");
          expectEq(rs.getObject(7, UUID.class), new UUID(0, 7), "uid");
          Object[] tags = (Object[]) rs.getArray(8).getArray();
          expectEq(List.of(tags), List.of("a7", "b"), "tags");
          expectEq(rs.getString(9), "note7", "note");
          expectEq(rs.getLong(10), -9_000_000_000_000_000_000L + 7, "big");
          expectEq(rs.getDouble(11), 7 / 8.0, "ratio");
          expect(!rs.next(), "more than one row");
        }
      }
      try (PreparedStatement ps = conn.prepareStatement("SELECT note FROM " + table + " WHERE id = ?")) {
        ps.setLong(1, 9);
        try (ResultSet rs = ps.executeQuery()) {
          expect(rs.next(), "no row for id 9");
          expect(rs.getString(1) == null && rs.wasNull(), "note for id 9 should be NULL");
        }
      }
    });

    check("PreparedStatement with typed literal parameters (no table)", connected, () -> {
      try (PreparedStatement ps = conn.prepareStatement("SELECT ? + 1, ?, ?, ?, ?")) {
        ps.setInt(1, 41);
        ps.setString(2, "x'y");
        ps.setBigDecimal(3, new BigDecimal("-1.25"));
        ps.setTimestamp(4, Timestamp.valueOf(LocalDateTime.of(2024, 2, 29, 12, 0, 0)));
        ps.setDouble(5, 0.5);
        try (ResultSet rs = ps.executeQuery()) {
          expect(rs.next(), "no row");
          expectEq(rs.getLong(1), 42L, "? + 1");
          expectEq(rs.getString(2), "x'y", "string");
          expectEq(rs.getBigDecimal(3).stripTrailingZeros(), new BigDecimal("-1.25"), "decimal");
          expectEq(rs.getTimestamp(4).toLocalDateTime(), LocalDateTime.of(2024, 2, 29, 12, 0, 0), "timestamp");
          expectEq(rs.getDouble(5), 0.5, "double");
        }
      }
    });

    check("ResultSetMetaData column names and types", connected, () -> {
      try (Statement st = conn.createStatement();
           ResultSet rs = st.executeQuery("SELECT toUInt8(1) AS a, 'x' AS b, toNullable(toInt64(5)) AS c, [1, 2] AS d, toDateTime('2024-01-01 00:00:00', 'UTC') AS e")) {
        ResultSetMetaData md = rs.getMetaData();
        expectEq(md.getColumnCount(), 5, "column count");
        List<String> got = new ArrayList<>();
        for (int i = 1; i <= 5; i++) got.add(md.getColumnName(i) + " " + md.getColumnTypeName(i));
        expectEq(got, List.of("a UInt8", "b String", "c Nullable(Int64)", "d Array(UInt8)", "e DateTime('UTC')"), "columns");
        expect(md.isNullable(3) == ResultSetMetaData.columnNullable, "c should be nullable");
      }
    });

    check("read " + rows + " rows: SELECT number, toString(number) FROM numbers(N)", connected, () -> {
      long count = 0;
      long sum = 0;
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT number, toString(number) FROM numbers(" + rows + ")")) {
        while (rs.next()) {
          long n = rs.getLong(1);
          String s = rs.getString(2);
          if (!s.equals(Long.toString(n))) throw new AssertionError("row " + count + ": " + n + " vs '" + s + "'");
          if (n != count) throw new AssertionError("row " + count + " has number " + n);
          sum += n;
          count++;
        }
      }
      expectEq(count, (long) rows, "rows");
      expectEq(sum, (long) rows * (rows - 1) / 2, "sum");
    });

    check("unknown table → SQLException with ClickHouse code 60", connected, () -> {
      try (Statement st = conn.createStatement()) {
        st.executeQuery("SELECT * FROM nope").close();
      } catch (SQLException e) {
        expectEq(e.getErrorCode(), 60, "SQLException.getErrorCode() (message: " + e.getMessage() + ")");
        return;
      }
      throw new AssertionError("no SQLException");
    });

    check("an error in the middle of a large result → SQLException", connected, () -> {
      long seen = 0;
      try (Statement st = conn.createStatement();
           ResultSet rs = st.executeQuery("SELECT number, throwIf(number = 300000) FROM numbers(1000000) SETTINGS max_block_size = 10000")) {
        while (rs.next()) seen++;
      } catch (SQLException e) {
        // client-v2 0.11 does not parse an exception appended to a RowBinary stream (ClickHouse
        // does the same); it fails reading the next value. Any SQLException will do: the rows
        // must not silently end.
        expect(seen < 1_000_000, "all rows were read before the error");
        return;
      }
      throw new AssertionError("the result ended normally after " + seen + " rows: the exception was lost");
    });

    check("syntax error → SQLException with ClickHouse code 62", connected, () -> {
      try (Statement st = conn.createStatement()) {
        st.execute("SELEC 1");
      } catch (SQLException e) {
        expectEq(e.getErrorCode(), 62, "SQLException.getErrorCode() (message: " + e.getMessage() + ")");
        return;
      }
      throw new AssertionError("no SQLException");
    });

    check("connection still usable after errors", connected, () -> {
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
        expect(rs.next() && rs.getInt(1) == 1, "SELECT 1");
      }
    });

    check("Statement.executeUpdate on a stream (CREATE STREAM / INSERT VALUES)", created, () -> {
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE STREAM " + db + ".s (id uint32, msg string)");
        st.executeUpdate("INSERT INTO " + db + ".s (id, msg) VALUES (1, 'a'), (2, 'b')");
        try (ResultSet rs = st.executeQuery("SELECT count() FROM table(" + db + ".s)")) {
          expect(rs.next(), "no row");
          expectEq(rs.getLong(1), 2L, "count()");
        }
      }
    });

    check("DROP DATABASE", created, () -> {
      try (Statement st = conn.createStatement()) {
        st.execute("DROP DATABASE " + db);
      }
    });

    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // closing is best effort
      }
    }
  }
}
