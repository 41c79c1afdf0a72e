package hadron.compat;

import java.math.BigDecimal;
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
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Drives the real PostgreSQL JDBC driver (org.postgresql:postgresql) against Hadron's Postgres port
 * (COMPAT_POSTGRES_PORT), user pguser with a password (SCRAM-SHA-256), and ends with the line
 * {@code N passed, N failed, N skipped}.
 */
public final class PgjdbcCompat {
  interface Body {
    void run() throws Exception;
  }

  private final String url;
  private final Properties props = new Properties();
  private int passed;
  private int failed;
  private final List<String> failures = new ArrayList<>();
  private Connection conn;

  private PgjdbcCompat(String port) {
    url = "jdbc:postgresql://127.0.0.1:" + port + "/default";
    props.setProperty("user", "pguser");
    props.setProperty("password", "pgpass");
  }

  public static void main(String[] args) {
    String port = System.getenv("COMPAT_POSTGRES_PORT");
    if (port == null || port.isEmpty()) {
      System.out.println("COMPAT_POSTGRES_PORT is not set: run compat-tests/postgres/run.sh");
      System.out.println("0 passed, 1 failed, 0 skipped");
      return;
    }
    PgjdbcCompat s = new PgjdbcCompat(port);
    s.runAll();
    System.out.println(s.passed + " passed, " + s.failed + " failed, 0 skipped");
  }

  private void check(String name, Body body) {
    try {
      body.run();
      passed++;
      System.out.println("ok    " + name);
    } catch (Throwable e) {
      failed++;
      failures.add(name);
      System.out.println("FAIL  " + name + ": " + e);
    }
  }

  private static void expect(boolean cond, String what) {
    if (!cond) throw new AssertionError(what);
  }

  private static void eq(Object want, Object got, String what) {
    if (want == null ? got != null : !want.equals(got)) throw new AssertionError(what + ": expected <" + want + "> got <" + got + ">");
  }

  private void runAll() {
    check("connect with SCRAM-SHA-256", () -> {
      conn = DriverManager.getConnection(url, props);
      expect(conn.isValid(5), "connection valid");
      eq("PostgreSQL", conn.getMetaData().getDatabaseProductName(), "product name");
    });
    if (conn == null) return;
    check("create a stream and insert rows", () -> {
      try (Statement st = conn.createStatement()) {
        st.execute("DROP STREAM IF EXISTS jdbc_s");
        st.execute("CREATE STREAM jdbc_s (id int32, name string, price float64, ok bool, day date, at datetime64(3), big int64, u uuid, dec decimal(10, 2))");
        int n = st.executeUpdate("INSERT INTO jdbc_s (id, name, price, ok, day, at, big, u, dec) VALUES (1, 'a', 1.5, true, '2024-01-02', '2024-01-02 03:04:05.678', 9000000000, '123e4567-e89b-12d3-a456-426614174000', 12.34)");
        eq(1, n, "update count");
      }
    });
    check("PreparedStatement with parameters of each type", () -> {
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO jdbc_s (id, name, price, ok, day, at, big, u, dec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setInt(1, 2);
        ps.setString(2, "it's b");
        ps.setDouble(3, 2.25);
        ps.setBoolean(4, false);
        ps.setDate(5, Date.valueOf("2024-02-03"));
        ps.setTimestamp(6, Timestamp.valueOf("2024-02-03 04:05:06.789"));
        ps.setLong(7, -5L);
        ps.setObject(8, UUID.fromString("00000000-0000-0000-0000-000000000002"));
        ps.setBigDecimal(9, new BigDecimal("-7.50"));
        eq(1, ps.executeUpdate(), "insert count");
      }
      try (PreparedStatement ps = conn.prepareStatement("SELECT id, name, price, ok, day, at, big, u, dec FROM table(jdbc_s) WHERE id = ? AND name = ? AND price > ? AND big < ?")) {
        ps.setInt(1, 2);
        ps.setString(2, "it's b");
        ps.setDouble(3, 1.0);
        ps.setLong(4, 0L);
        try (ResultSet rs = ps.executeQuery()) {
          expect(rs.next(), "one row");
          eq(2, rs.getInt(1), "id");
          eq("it's b", rs.getString(2), "name");
          eq(2.25, rs.getDouble(3), "price");
          eq(false, rs.getBoolean(4), "ok");
          eq(Date.valueOf("2024-02-03"), rs.getDate(5), "day");
          eq(Timestamp.valueOf("2024-02-03 04:05:06.789"), rs.getTimestamp(6), "at");
          eq(-5L, rs.getLong(7), "big");
          eq(UUID.fromString("00000000-0000-0000-0000-000000000002"), rs.getObject(8), "uuid");
          eq(new BigDecimal("-7.50"), rs.getBigDecimal(9), "decimal");
          expect(!rs.next(), "only one row");
          ResultSetMetaData md = rs.getMetaData();
          eq(Types.INTEGER, md.getColumnType(1), "int type");
          eq("float8", md.getColumnTypeName(3), "float8");
        }
      }
    });
    check("PreparedStatement reused with setNull and many executions (server-prepared)", () -> {
      try (PreparedStatement ps = conn.prepareStatement("SELECT ?::Nullable(Int32) IS NULL AS n, toInt32(?) * 2 AS d")) {
        for (int i = 0; i < 8; i++) {
          ps.setNull(1, Types.INTEGER);
          ps.setInt(2, i);
          try (ResultSet rs = ps.executeQuery()) {
            expect(rs.next(), "row");
            eq(1, rs.getInt(1), "is null");
            eq(i * 2, rs.getInt(2), "doubled");
          }
        }
      }
    });
    check("an error carries its SQLSTATE", () -> {
      try (Statement st = conn.createStatement()) {
        st.executeQuery("SELECT * FROM no_such_table_x");
        throw new AssertionError("no error");
      } catch (SQLException e) {
        eq("42P01", e.getSQLState(), "sqlstate");
      }
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
        expect(rs.next(), "connection still works");
      }
    });
    check("DatabaseMetaData.getSchemas", () -> {
      DatabaseMetaData md = conn.getMetaData();
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) schemas.add(rs.getString("TABLE_SCHEM"));
      }
      expect(schemas.contains("public"), "public in " + schemas);
    });
    check("DatabaseMetaData.getTables", () -> {
      DatabaseMetaData md = conn.getMetaData();
      boolean found = false;
      try (ResultSet rs = md.getTables(null, "public", "jdbc%", new String[] {"TABLE"})) {
        while (rs.next()) if (rs.getString("TABLE_NAME").equals("jdbc_s")) found = true;
      }
      expect(found, "jdbc_s listed");
    });
    check("DatabaseMetaData.getColumns", () -> {
      DatabaseMetaData md = conn.getMetaData();
      List<String> cols = new ArrayList<>();
      List<Integer> types = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "public", "jdbc_s", null)) {
        while (rs.next()) {
          cols.add(rs.getString("COLUMN_NAME"));
          types.add(rs.getInt("DATA_TYPE"));
        }
      }
      eq(List.of("id", "name", "price", "ok", "day", "at", "big", "u", "dec"), cols, "columns");
      eq(Types.INTEGER, types.get(0), "id type");
      eq(Types.VARCHAR, types.get(1), "name type");
      eq(Types.DOUBLE, types.get(2), "price type");
      eq(Types.BIT, types.get(3), "bool type");
    });
    check("DatabaseMetaData.getPrimaryKeys, getIndexInfo, getTableTypes, getCatalogs, getTypeInfo", () -> {
      DatabaseMetaData md = conn.getMetaData();
      try (ResultSet rs = md.getPrimaryKeys(null, "public", "jdbc_s")) {
        expect(!rs.next(), "no primary key constraint");
      }
      try (ResultSet rs = md.getIndexInfo(null, "public", "jdbc_s", false, true)) {
        expect(!rs.next(), "no indexes");
      }
      List<String> kinds = new ArrayList<>();
      try (ResultSet rs = md.getTableTypes()) {
        while (rs.next()) kinds.add(rs.getString(1));
      }
      expect(kinds.contains("TABLE") && kinds.contains("VIEW"), "table types " + kinds);
      try (ResultSet rs = md.getCatalogs()) {
        expect(rs.next(), "a catalog");
      }
      List<String> types = new ArrayList<>();
      try (ResultSet rs = md.getTypeInfo()) {
        while (rs.next()) types.add(rs.getString("TYPE_NAME"));
      }
      expect(types.contains("int4") && types.contains("text") && types.contains("uuid"), "type info " + types);
    });
    check("setFetchSize streams 1M rows in batches", () -> {
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.setFetchSize(10000);
        long count = 0;
        long sum = 0;
        try (ResultSet rs = st.executeQuery("SELECT number FROM numbers(1000000)")) {
          while (rs.next()) {
            count++;
            sum += rs.getLong(1);
          }
        }
        eq(1000000L, count, "rows");
        eq(499999500000L, sum, "sum");
      } finally {
        conn.commit();
        conn.setAutoCommit(true);
      }
    });
    check("batch insert with PreparedStatement.addBatch", () -> {
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO jdbc_s (id, name) VALUES (?, ?)")) {
        for (int i = 10; i < 20; i++) {
          ps.setInt(1, i);
          ps.setString(2, "batch" + i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count() FROM table(jdbc_s) WHERE name LIKE 'batch%'")) {
        expect(rs.next(), "row");
        eq(10L, rs.getLong(1), "batched rows");
      }
    });
    try {
      conn.close();
    } catch (SQLException ignored) {
      // closing is best effort
    }
  }
}
