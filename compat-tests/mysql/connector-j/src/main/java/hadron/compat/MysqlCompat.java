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

/**
 * Drives MySQL Connector/J (com.mysql:mysql-connector-j) against Hadron's MySQL port (COMPAT_MYSQL_PORT):
 * default properties and useServerPrepStmts=true, every type through Statement and PreparedStatement,
 * DatabaseMetaData, a streamed 1M-row result, errors. Prints PASS/FAIL lines and `N passed, N failed, N skipped`.
 */
public final class MysqlCompat {
  interface Body {
    void run() throws Exception;
  }

  private final String base;
  private final String db = "cj_" + Long.toString(System.currentTimeMillis(), 36);
  private int passed;
  private int failed;
  private int skipped;

  private MysqlCompat(int port) {
    this.base = "jdbc:mysql://127.0.0.1:" + port + "/";
  }

  public static void main(String[] args) {
    String port = System.getenv("COMPAT_MYSQL_PORT");
    if (port == null || port.isEmpty()) {
      System.out.println("skip  connector-j (the server has no MySQL port)");
      System.out.println("0 passed, 0 failed, 1 skipped");
      return;
    }
    MysqlCompat suite = new MysqlCompat(Integer.parseInt(port));
    suite.runAll();
    System.out.println(suite.passed + " passed, " + suite.failed + " failed, " + suite.skipped + " skipped");
  }

  private void check(String name, Body body) {
    try {
      body.run();
      passed++;
      System.out.println("PASS  connector-j: " + name);
    } catch (Throwable e) {
      failed++;
      System.out.println("FAIL  connector-j: " + name);
      System.out.println("      " + e);
      Throwable c = e.getCause();
      if (c != null) System.out.println("      caused by " + c);
    }
  }

  private static void eq(Object expected, Object actual, String what) {
    if (expected == null ? actual != null : !expected.equals(actual)) {
      throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
    }
  }

  private static void ok(boolean cond, String what) {
    if (!cond) throw new AssertionError(what);
  }

  private Connection open(String params) throws SQLException {
    return DriverManager.getConnection(base + db + (params.isEmpty() ? "" : "?" + params), "default", "");
  }

  private void runAll() {
    check("connect with default properties", () -> {
      try (Connection c = DriverManager.getConnection(base + "default", "default", "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1 AS one, version() AS v")) {
        ok(rs.next(), "one row");
        eq(1, rs.getInt("one"), "one");
        ok(c.getMetaData().getDatabaseProductVersion().contains("Hadron"), "product version " + c.getMetaData().getDatabaseProductVersion());
      }
    });
    check("create a database and a table with every type", () -> {
      try (Connection c = DriverManager.getConnection(base + "default", "default", ""); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + db);
        s.execute("CREATE TABLE " + db + ".t (id Int32, i8 Int8, u16 UInt16, i64 Int64, u64 UInt64, f32 Float32, f64 Float64, dec Decimal(12, 4), s String, "
            + "d Date, dt DateTime, dt64 DateTime64(3), b Bool, n Nullable(Int32), e Enum8('x' = 1, 'y' = 2), u UUID) ENGINE = MergeTree ORDER BY id");
        int n = s.executeUpdate("INSERT INTO " + db + ".t VALUES (1, -8, 65535, -9000000000000000000, 18446744073709551615, 1.5, 2.25, 1234.5678, 'héllo', "
            + "'2024-02-29', '2024-01-02 03:04:05', '2024-01-02 03:04:05.678', true, NULL, 'y', '61f0c404-5cb3-11e7-907b-a6006ad3dba0')");
        eq(1, n, "inserted rows");
      }
    });
    for (String mode : new String[] {"", "useServerPrepStmts=true"}) {
      String label = mode.isEmpty() ? " (default)" : " (" + mode + ")";
      check("read every type through Statement" + label, () -> {
        try (Connection c = open(mode); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM t WHERE id = 1")) {
          ok(rs.next(), "row");
          checkRow(rs);
          ResultSetMetaData md = rs.getMetaData();
          eq(Types.INTEGER, md.getColumnType(1), "id type");
          eq(Types.BIGINT, md.getColumnType(4), "i64 type");
          eq(Types.DECIMAL, md.getColumnType(8), "dec type");
          eq(Types.DOUBLE, md.getColumnType(7), "f64 type");
          eq(Types.DATE, md.getColumnType(10), "d type");
          eq(Types.TIMESTAMP, md.getColumnType(11), "dt type");
          eq(ResultSetMetaData.columnNullable, md.isNullable(14), "n nullable");
          eq(ResultSetMetaData.columnNoNulls, md.isNullable(1), "id not nullable");
        }
      });
      check("PreparedStatement with parameters of each type" + label, () -> {
        try (Connection c = open(mode)) {
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, i8, u16, i64, u64, f32, f64, dec, s, d, dt, dt64, b, n, e, u) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int id = mode.isEmpty() ? 10 : 20;
            ps.setInt(1, id);
            ps.setByte(2, (byte) -8);
            ps.setInt(3, 65535);
            ps.setLong(4, -9000000000000000000L);
            ps.setBigDecimal(5, new BigDecimal("18446744073709551615"));
            ps.setFloat(6, 1.5f);
            ps.setDouble(7, 2.25);
            ps.setBigDecimal(8, new BigDecimal("1234.5678"));
            ps.setString(9, "héllo");
            ps.setDate(10, Date.valueOf("2024-02-29"));
            ps.setTimestamp(11, Timestamp.valueOf("2024-01-02 03:04:05"));
            ps.setTimestamp(12, Timestamp.valueOf("2024-01-02 03:04:05.678"));
            ps.setBoolean(13, true);
            ps.setNull(14, Types.INTEGER);
            ps.setString(15, "y");
            ps.setString(16, "61f0c404-5cb3-11e7-907b-a6006ad3dba0");
            eq(1, ps.executeUpdate(), "inserted");
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM t WHERE id = ? AND s = ? AND dec = ? AND d = ? AND b = ?")) {
              q.setInt(1, id);
              q.setString(2, "héllo");
              q.setBigDecimal(3, new BigDecimal("1234.5678"));
              q.setDate(4, Date.valueOf("2024-02-29"));
              q.setBoolean(5, true);
              try (ResultSet rs = q.executeQuery()) {
                ok(rs.next(), "row by parameters");
                checkRow(rs);
                ok(!rs.next(), "one row");
              }
            }
          }
        }
      });
      check("PreparedStatement batch insert" + label, () -> {
        try (Connection c = open(mode)) {
          String table = mode.isEmpty() ? "batch_a" : "batch_b";
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (k Int32, v String) ENGINE = Memory");
          }
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            for (int i = 0; i < 50; i++) {
              ps.setInt(1, i);
              ps.setString(2, "v" + i);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(), sum(k) FROM " + table)) {
            ok(rs.next(), "row");
            eq(50L, rs.getLong(1), "count");
            eq(1225L, rs.getLong(2), "sum");
          }
        }
      });
      check("errors carry MySQL codes and SQLSTATE" + label, () -> {
        try (Connection c = open(mode)) {
          expectError(c, "SELECT * FROM no_such_table", 1146, "42S02");
          expectError(c, "SELEC 1", 1064, "42000");
          expectError(c, "SELECT no_such_column FROM t", 1054, "42S22");
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 7")) {
            ok(rs.next(), "usable after errors");
            eq(7, rs.getInt(1), "value");
          }
        }
      });
    }
    check("transactions are accepted (autocommit off, commit, rollback)", () -> {
      try (Connection c = open("")) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO batch_a VALUES (100, 'tx')");
        }
        c.commit();
        c.rollback();
        c.setAutoCommit(true);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        eq(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation(), "isolation");
        c.setReadOnly(false);
        ok(!c.isReadOnly(), "read only");
      }
    });
    check("DatabaseMetaData getCatalogs / getTables / getColumns", () -> {
      try (Connection c = open("")) {
        DatabaseMetaData md = c.getMetaData();
        List<String> catalogs = new ArrayList<>();
        try (ResultSet rs = md.getCatalogs()) {
          while (rs.next()) catalogs.add(rs.getString("TABLE_CAT"));
        }
        ok(catalogs.contains(db) && catalogs.contains("default"), "catalogs " + catalogs);
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = md.getTables(db, null, "%", new String[] {"TABLE"})) {
          while (rs.next()) tables.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
        }
        ok(tables.contains("t:TABLE"), "tables " + tables);
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = md.getColumns(db, null, "t", "%")) {
          while (rs.next()) columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("DATA_TYPE") + ":" + rs.getString("TYPE_NAME") + ":" + rs.getInt("NULLABLE"));
        }
        eq(16, columns.size(), "column count " + columns);
        eq("id:" + Types.INTEGER + ":INT:0", columns.get(0), "id column");
        eq("u64:" + Types.BIGINT + ":BIGINT UNSIGNED:0", columns.get(4), "u64 column");
        eq("dec:" + Types.DECIMAL + ":DECIMAL:0", columns.get(7), "dec column");
        eq("n:" + Types.INTEGER + ":INT:1", columns.get(13), "n column");
      }
    });
    check("streams 1M rows with setFetchSize(Integer.MIN_VALUE)", () -> {
      try (Connection c = open(""); Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        s.setFetchSize(Integer.MIN_VALUE);
        long count = 0;
        long sum = 0;
        try (ResultSet rs = s.executeQuery("SELECT number FROM numbers(1000000)")) {
          while (rs.next()) {
            count++;
            sum += rs.getLong(1);
          }
        }
        eq(1000000L, count, "rows");
        eq(499999500000L, sum, "sum");
      }
    });
    check("users with passwords (mysql_native_password, caching_sha2_password)", () -> {
      for (String[] u : new String[][] {{"alice", "secret"}, {"bob", "hunter2"}}) {
        try (Connection c = DriverManager.getConnection(base + "default", u[0], u[1]);
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT currentUser()")) {
          ok(rs.next(), "row");
          eq(u[0], rs.getString(1), "user");
        }
      }
      try {
        DriverManager.getConnection(base + "default", "bob", "wrong").close();
        throw new AssertionError("connected with a wrong password");
      } catch (SQLException e) {
        eq(1045, e.getErrorCode(), "error code (" + e.getMessage() + ")");
      }
    });
    check("drop the database", () -> {
      try (Connection c = open(""); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + db);
      }
    });
  }

  private static void checkRow(ResultSet rs) throws SQLException {
    eq(-8, rs.getInt("i8"), "i8");
    eq(65535, rs.getInt("u16"), "u16");
    eq(-9000000000000000000L, rs.getLong("i64"), "i64");
    eq(new BigDecimal("18446744073709551615"), rs.getBigDecimal("u64"), "u64");
    eq(1.5f, rs.getFloat("f32"), "f32");
    eq(2.25, rs.getDouble("f64"), "f64");
    eq(new BigDecimal("1234.5678"), rs.getBigDecimal("dec"), "dec");
    eq("héllo", rs.getString("s"), "s");
    eq(Date.valueOf("2024-02-29"), rs.getDate("d"), "d");
    eq(Timestamp.valueOf("2024-01-02 03:04:05"), rs.getTimestamp("dt"), "dt");
    eq(Timestamp.valueOf("2024-01-02 03:04:05.678"), rs.getTimestamp("dt64"), "dt64");
    eq(true, rs.getBoolean("b"), "b");
    eq(null, rs.getObject("n"), "n");
    ok(rs.wasNull(), "n was null");
    eq("y", rs.getString("e"), "e");
    eq("61f0c404-5cb3-11e7-907b-a6006ad3dba0", rs.getString("u"), "u");
  }

  private static void expectError(Connection c, String sql, int code, String state) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
      throw new AssertionError(sql + ": no error");
    } catch (SQLException e) {
      eq(code, e.getErrorCode(), sql + " error code (" + e.getMessage() + ")");
      eq(state, e.getSQLState(), sql + " SQLSTATE");
      ok(e.getMessage().contains("DB::Exception"), "message " + e.getMessage());
    }
  }
}
