package io.cutover.sql.types;

import io.cutover.sql.TestDb;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One column of each common type for a source → target pairing: source and target types, and source SQL literals for
 * a typical row, a row of extremes at the low end, one at the high end (the all-NULL row needs none). Each pairing
 * also has a rejected row: its {@code note} is refused by a CHECK on the target.
 */
record TypeMatrix(List<Column> columns) {
    /** A column: its source and target types and its literals in the typical, low and high rows. */
    record Column(String name, String sourceType, String targetType, String typical, String low, String high) {
    }

    static final String[] ROWS = {"typical", "nulls", "low", "high", "rejected"};

    static TypeMatrix of(TestDb.Kind source, TestDb.Kind target) {
        List<Column> c = new ArrayList<>();
        if (source == TestDb.Kind.PG && target == TestDb.Kind.PG) {
            c.add(new Column("i2", "smallint", "smallint", "7", "-32768", "32767"));
            c.add(new Column("i4", "integer", "integer", "42", "-2147483648", "2147483647"));
            c.add(new Column("i8", "bigint", "bigint", "9000000000", "-9223372036854775808", "9223372036854775807"));
            c.add(new Column("n", "numeric(20,4)", "numeric(20,4)", "12345.6789", "-9999999999999999.9999", "9999999999999999.9999"));
            c.add(new Column("f8", "double precision", "double precision", "3.5", "-1.7976931348623157E308", "4.9E-324"));
            c.add(new Column("f4", "real", "real", "1.25", "-3.4028235E38", "3.4028235E38"));
            c.add(new Column("b", "boolean", "boolean", "true", "false", "true"));
            c.add(new Column("ch", "char(5)", "text", "'ab'", "''", "'abcde'"));
            c.add(new Column("vc", "varchar(20)", "varchar(20)", "'héllo wörld'", "''", "'tab\there\\nline'"));
            c.add(new Column("tx", "text", "text", "'long text'", "''", "repeat('x', 10000)"));
            c.add(new Column("d", "date", "date", "'2024-02-29'", "'0001-01-01'", "'9999-12-31'"));
            c.add(new Column("tm", "time", "time", "'13:14:15.123456'", "'00:00:00'", "'23:59:59.999999'"));
            c.add(new Column("ts", "timestamp", "timestamp", "'2024-03-31 01:30:00.5'", "'0001-01-01 00:00:00'", "'9999-12-31 23:59:59.999999'"));
            c.add(new Column("tz", "timestamptz", "timestamptz", "'2024-06-01 04:34:33+00'", "'1900-01-01 00:00:00+00'", "'9999-12-31 12:00:00+00'"));
            c.add(new Column("tz2ts", "timestamptz", "timestamp", "'2024-06-01 04:34:33+02'", "'1970-01-01 00:00:00+00'", "'2038-01-19 03:14:07+00'"));
            c.add(new Column("ts2tz", "timestamp", "timestamptz", "'2024-06-01 04:34:33'", "'1970-01-01 00:00:00'", "'2038-01-19 03:14:07'"));
            c.add(new Column("e", "mood", "mood", "'happy'", "'sad'", "'ok'"));
            c.add(new Column("arr", "text[]", "text[]", "ARRAY['a','b c','d\"e']", "ARRAY[]::text[]", "ARRAY['x',NULL]"));
            c.add(new Column("iarr", "integer[]", "integer[]", "ARRAY[1,2,3]", "ARRAY[-2147483648]", "ARRAY[2147483647]"));
            c.add(new Column("j", "jsonb", "jsonb", "'{\"a\": 1, \"b\": [true, null]}'", "'[]'", "'{\"k\": \"ü\"}'"));
            c.add(new Column("js", "json", "jsonb", "'{\"b\":2,  \"a\":1}'", "'null'", "'\"s\"'"));
            c.add(new Column("u", "uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"));
            c.add(new Column("bin", "bytea", "bytea", "'\\x00ff10'", "''", "'\\x5c09'"));
            c.add(new Column("dom", "email", "email", "'a@b.io'", "'@'", "'x@y'"));
        } else if (source == TestDb.Kind.MARIADB && target == TestDb.Kind.PG) {
            c.add(new Column("i1", "tinyint", "smallint", "7", "-128", "127"));
            c.add(new Column("i2", "smallint", "smallint", "7", "-32768", "32767"));
            c.add(new Column("i4", "int", "integer", "42", "-2147483648", "2147483647"));
            c.add(new Column("i8", "bigint", "bigint", "9000000000", "-9223372036854775808", "9223372036854775807"));
            c.add(new Column("u8", "bigint unsigned", "numeric(20,0)", "1", "0", "18446744073709551615"));
            c.add(new Column("n", "decimal(20,4)", "numeric(20,4)", "12345.6789", "-9999999999999999.9999", "9999999999999999.9999"));
            c.add(new Column("f8", "double", "double precision", "3.5", "-1.7976931348623157E308", "1.7976931348623157E308"));
            c.add(new Column("b", "tinyint(1)", "boolean", "1", "0", "1"));
            c.add(new Column("ch", "char(5)", "text", "'ab'", "''", "'abcde'"));
            c.add(new Column("vc", "varchar(20)", "varchar(20)", "'héllo wörld'", "''", "'tab\\there'"));
            c.add(new Column("tx", "text", "text", "'long text'", "''", "repeat('x', 10000)"));
            c.add(new Column("d", "date", "date", "'2024-02-29'", "'1000-01-01'", "'9999-12-31'"));
            c.add(new Column("tm", "time(6)", "time", "'13:14:15.123456'", "'00:00:00'", "'23:59:59.999999'"));
            c.add(new Column("dt", "datetime(6)", "timestamp", "'2024-03-31 01:30:00.5'", "'1000-01-01 00:00:00'", "'9999-12-31 23:59:59.999999'"));
            c.add(new Column("dt2tz", "datetime", "timestamptz", "'2024-06-01 04:34:33'", "'1000-01-01 00:00:00'", "'9999-12-31 23:59:59'"));
            c.add(new Column("tstz", "timestamp(6) NULL", "timestamptz", "'2024-06-01 04:34:33'", "'1970-01-01 00:00:01'", "'2038-01-19 03:14:07.999999'"));
            c.add(new Column("y", "year", "smallint", "2006", "1901", "2155"));
            c.add(new Column("e", "enum('happy','sad','ok')", "mood", "'happy'", "'sad'", "'ok'"));
            c.add(new Column("st", "set('Trailers','Deleted Scenes','x\"y')", "text[]", "'Trailers,Deleted Scenes'", "''", "'Trailers,Deleted Scenes,x\"y'"));
            c.add(new Column("j", "json", "jsonb", "'{\"a\":1,\"b\":[true,null]}'", "'[]'", "'{\"k\": \"ü\"}'"));
            c.add(new Column("u", "char(36)", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"));
            c.add(new Column("bin", "blob", "bytea", "X'00FF10'", "X''", "X'5C09'"));
        } else if (source == TestDb.Kind.H2 && target == TestDb.Kind.H2) {
            c.add(new Column("i1", "tinyint", "tinyint", "7", "-128", "127"));
            c.add(new Column("i2", "smallint", "smallint", "7", "-32768", "32767"));
            c.add(new Column("i4", "integer", "integer", "42", "-2147483648", "2147483647"));
            c.add(new Column("i8", "bigint", "bigint", "9000000000", "-9223372036854775808", "9223372036854775807"));
            c.add(new Column("n", "numeric(20,4)", "numeric(20,4)", "12345.6789", "-9999999999999999.9999", "9999999999999999.9999"));
            c.add(new Column("f8", "double precision", "double precision", "3.5", "-1.7976931348623157E308", "4.9E-324"));
            c.add(new Column("b", "boolean", "boolean", "true", "false", "true"));
            c.add(new Column("ch", "char(5)", "varchar(5)", "'ab'", "''", "'abcde'"));
            c.add(new Column("vc", "varchar(20)", "varchar(20)", "'héllo wörld'", "''", "'x'"));
            c.add(new Column("tx", "clob", "clob", "'long text'", "''", "repeat('x', 10000)"));
            c.add(new Column("d", "date", "date", "DATE '2024-02-29'", "DATE '0001-01-01'", "DATE '9999-12-31'"));
            c.add(new Column("tm", "time(6)", "time(6)", "TIME '13:14:15.123456'", "TIME '00:00:00'", "TIME '23:59:59.999999'"));
            c.add(new Column("ts", "timestamp(6)", "timestamp(6)", "TIMESTAMP '2024-03-31 01:30:00.5'", "TIMESTAMP '0001-01-01 00:00:00'", "TIMESTAMP '9999-12-31 23:59:59.999999'"));
            c.add(new Column("tz", "timestamp(6) with time zone", "timestamp(6) with time zone", "TIMESTAMP WITH TIME ZONE '2024-06-01 04:34:33+00'", "TIMESTAMP WITH TIME ZONE '1900-01-01 00:00:00+05'", "TIMESTAMP WITH TIME ZONE '9999-12-31 12:00:00-03'"));
            c.add(new Column("ts2tz", "timestamp", "timestamp with time zone", "TIMESTAMP '2024-06-01 04:34:33'", "TIMESTAMP '1970-01-01 00:00:00'", "TIMESTAMP '2038-01-19 03:14:07'"));
            c.add(new Column("e", "enum('happy','sad','ok')", "enum('happy','sad','ok')", "'happy'", "'sad'", "'ok'"));
            c.add(new Column("arr", "varchar array", "varchar array", "ARRAY['a','b c']", "ARRAY[]", "ARRAY['x',NULL]"));
            c.add(new Column("u", "uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"));
            c.add(new Column("bin", "varbinary(10)", "varbinary(10)", "X'00FF10'", "X''", "X'5C09'"));
        } else {
            throw new IllegalArgumentException(source + " -> " + target);
        }
        return new TypeMatrix(c);
    }

    /** Creates the source table {@code typed} with the five rows, changed at {@code changed}. */
    void createSource(TestDb db, String changed) throws SQLException {
        if (db.kind == TestDb.Kind.PG) {
            db.exec("CREATE TYPE mood AS ENUM ('happy', 'sad', 'ok')", "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%')");
        }
        StringBuilder ddl = new StringBuilder("CREATE TABLE typed (id INT PRIMARY KEY, note VARCHAR(20), changed_at " + db.ts());
        columns.forEach(c -> ddl.append(", ").append(c.name()).append(' ').append(c.sourceType()));
        db.exec(ddl.append(")").toString());
        for (int r = 0; r < ROWS.length; r++) {
            StringBuilder sb = new StringBuilder("INSERT INTO typed VALUES (" + (r + 1) + ", '" + ROWS[r] + "', '" + changed + "'");
            for (Column c : columns) {
                sb.append(", ").append(literal(c, ROWS[r]));
            }
            db.exec(sb.append(")").toString());
        }
    }

    /** The target table {@code typed_copy}: a generated key and a CHECK refusing the rejected row. */
    void createTarget(TestDb db) throws SQLException {
        if (db.kind == TestDb.Kind.PG) {
            db.exec("CREATE TYPE mood AS ENUM ('happy', 'sad', 'ok')", "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%')");
        }
        StringBuilder ddl = new StringBuilder("CREATE TABLE typed_copy (id " + db.identity() + " PRIMARY KEY, "
                + "note VARCHAR(20) CHECK (note <> 'rejected')");
        columns.forEach(c -> ddl.append(", ").append(c.name()).append(' ').append(c.targetType().replace(" NULL", "")));
        db.exec(ddl.append(")").toString());
    }

    /** A plan moving {@code typed} into {@code typed_copy} column by column. */
    String plan(TestDb source, TestDb target, String extra) {
        StringBuilder cols = new StringBuilder("{note: note");
        columns.forEach(c -> cols.append(", ").append(c.name()).append(": ").append(c.name()));
        return """
                source: {url: "%s", user: %s}
                target: {url: "%s", user: %s}
                %s
                steps:
                  - name: typed
                    from: typed
                    key: id
                    changed: [changed_at]
                    into: typed_copy
                    target_key: id
                    columns: %s}
                """.formatted(source.url, source.user, target.url, target.user, extra, cols);
    }

    static String literal(Column c, String row) {
        return switch (row) {
            case "nulls" -> "NULL";
            case "low" -> c.low();
            case "high" -> c.high();
            default -> c.typical();
        };
    }
}
