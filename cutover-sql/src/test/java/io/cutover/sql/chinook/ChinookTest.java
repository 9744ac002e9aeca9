package io.cutover.sql.chinook;

import io.cutover.core.progress.Progress;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.TestDb;
import io.cutover.sql.TestDb.Kind;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.plan.PlanLoader;
import io.cutover.core.config.EnvSubstitution;
import io.cutover.core.workers.Worker;
import io.cutover.sql.verify.Mismatch;
import io.cutover.sql.verify.VerifyReport;
import io.cutover.sql.verify.VerifyRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Chinook music store (the public sample database, as its MySQL and PostgreSQL scripts create it) moved into a
 * differently shaped PostgreSQL schema: renamed tables and columns, generated ids, timestamptz, real foreign keys
 * including the employees' self-reference and the composite playlist_tracks key. Change timestamps and a deletion log
 * are added to the source; three windows with updates, inserts and deletes between them; verify is clean and nothing
 * is outstanding at the end.
 */
class ChinookTest {
    private static final Path SCRIPTS = Path.of("/work/shared/datasets/chinook");
    private static final List<String> TABLES = List.of("genre", "media_type", "artist", "album", "track", "employee", "customer",
            "invoice", "invoice_line", "playlist", "playlist_track");
    private static final LocalDateTime T0 = LocalDateTime.parse("2000-01-01T00:00");
    private static final LocalDateTime T1 = LocalDateTime.parse("2024-01-01T00:00");
    private static final LocalDateTime T2 = LocalDateTime.parse("2024-02-01T00:00");
    private static final LocalDateTime T3 = LocalDateTime.parse("2024-03-01T00:00");

    /** The plan, identifiers written snake_case as @name@ (the MySQL script names them in CamelCase). */
    private static final String PLAN = """
            source: {url: "%s", user: %s}
            target: {url: "%s", user: %s}
            deletions: {table: deleted_records, table_column: table_name, key_column: record_id, time_column: deleted_at}
            steps:
              - {name: genres, from: @genre@, key: @genre_id@, changed: [@last_update@], into: genres, target_key: id,
                 columns: {name: @name@}}
              - {name: media_types, from: @media_type@, key: @media_type_id@, changed: [@last_update@], into: media_types,
                 target_key: id, columns: {name: @name@}}
              - {name: artists, from: @artist@, key: @artist_id@, changed: [@last_update@], into: artists, target_key: id,
                 columns: {name: @name@}}
              - {name: albums, from: @album@, key: @album_id@, changed: [@last_update@], into: albums, target_key: id,
                 columns: {title: @title@}, refs: {artist_id: {from: @artist_id@, step: artists}}}
              - name: tracks
                from: @track@
                key: @track_id@
                changed: [@last_update@]
                into: tracks
                target_key: id
                columns: {title: @name@, composer: @composer@, duration_ms: @milliseconds@, size_bytes: @bytes@, price: @unit_price@}
                refs:
                  album_id: {from: @album_id@, step: albums}
                  media_type_id: {from: @media_type_id@, step: media_types}
                  genre_id: {from: @genre_id@, step: genres}
              - name: employees
                from: @employee@
                key: @employee_id@
                changed: [@last_update@]
                into: staff
                target_key: id
                columns: {full_name: "CONCAT(@first_name@, ' ', @last_name@)", job_title: @title@, born_at: @birth_date@,
                          hired_at: @hire_date@, email: "lower(@email@)"}
                refs: {manager_id: {from: @reports_to@, step: employees}}
              - name: customers
                from: @customer@
                key: @customer_id@
                changed: [@last_update@]
                into: customers
                target_key: id
                columns: {full_name: "CONCAT(@first_name@, ' ', @last_name@)", company: @company@, country: @country@, email: @email@}
                refs: {support_rep_id: {from: @support_rep_id@, step: employees}}
              - name: invoices
                from: @invoice@
                key: @invoice_id@
                changed: [@last_update@]
                into: invoices
                target_key: id
                columns: {invoiced_at: @invoice_date@, billing_country: @billing_country@, total: @total@}
                refs: {customer_id: {from: @customer_id@, step: customers}}
              - name: invoice_lines
                from: @invoice_line@
                key: @invoice_line_id@
                changed: [@last_update@]
                into: invoice_lines
                target_key: id
                columns: {unit_price: @unit_price@, quantity: @quantity@}
                refs: {invoice_id: {from: @invoice_id@, step: invoices}, track_id: {from: @track_id@, step: tracks}}
              - {name: playlists, from: @playlist@, key: @playlist_id@, changed: [@last_update@], into: playlists, target_key: id,
                 columns: {name: @name@}}
              - name: playlist_tracks
                from: @playlist_track@
                key: [@playlist_id@, @track_id@]
                changed: [@last_update@]
                into: playlist_tracks
                target_key: [playlist_id, track_id]
                refs: {playlist_id: {from: @playlist_id@, step: playlists}, track_id: {from: @track_id@, step: tracks}}
            """;

    private static final String[] TARGET = {
            // ALWAYS: the target refuses given ids, so new genres take the one-row INSERT … RETURNING way
            "CREATE TABLE genres (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT)",
            "CREATE TABLE media_types (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT)",
            "CREATE TABLE artists (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT)",
            "CREATE TABLE albums (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title TEXT NOT NULL, "
                    + "artist_id BIGINT NOT NULL REFERENCES artists (id))",
            "CREATE TABLE tracks (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, title TEXT NOT NULL, "
                    + "album_id BIGINT REFERENCES albums (id), media_type_id BIGINT NOT NULL REFERENCES media_types (id), "
                    + "genre_id BIGINT REFERENCES genres (id), composer TEXT, duration_ms INT NOT NULL, size_bytes BIGINT, "
                    + "price NUMERIC(10,2) NOT NULL)",
            "CREATE TABLE staff (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, full_name TEXT NOT NULL, job_title TEXT, "
                    + "manager_id BIGINT REFERENCES staff (id), born_at TIMESTAMPTZ, hired_at TIMESTAMPTZ, email TEXT)",
            "CREATE TABLE customers (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, full_name TEXT NOT NULL, company TEXT, "
                    + "country TEXT, email TEXT NOT NULL, support_rep_id BIGINT REFERENCES staff (id))",
            "CREATE TABLE invoices (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, customer_id BIGINT NOT NULL "
                    + "REFERENCES customers (id), invoiced_at TIMESTAMPTZ NOT NULL, billing_country TEXT, total NUMERIC(10,2) NOT NULL)",
            "CREATE TABLE invoice_lines (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, invoice_id BIGINT NOT NULL "
                    + "REFERENCES invoices (id), track_id BIGINT NOT NULL REFERENCES tracks (id), unit_price NUMERIC(10,2) NOT NULL, "
                    + "quantity INT NOT NULL)",
            "CREATE TABLE playlists (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT)",
            "CREATE TABLE playlist_tracks (playlist_id BIGINT NOT NULL REFERENCES playlists (id), track_id BIGINT NOT NULL "
                    + "REFERENCES tracks (id), PRIMARY KEY (playlist_id, track_id))"};

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MARIADB", "PG"})
    void chinookMovesInThreeWindowsIntoANewSchemaAndVerifiesClean(Kind source) throws Exception {
        try (TestDb src = TestDb.create(source); TestDb tgt = TestDb.create(Kind.PG)) {
            load(src);
            tgt.exec(TARGET);
            try (SqlMigration m = new SqlMigration(new PlanLoader(new EnvSubstitution(Map.<String, String>of()::get))
                    .parse(names(PLAN.formatted(src.url, src.user, tgt.url, tgt.user), source), "chinook.yaml"))) {
                assertThat(m.check().problems()).isEmpty();
                assertThat(m.check().deferred()).containsExactly("employees.manager_id (a self-reference)");

                MigrateResult w1 = migrate(m, T0, T1);
                assertThat(w1.errors()).isZero();
                assertThat(tgt.count("SELECT COUNT(*) FROM tracks")).isEqualTo(3503);
                assertThat(tgt.count("SELECT COUNT(*) FROM playlist_tracks")).isEqualTo(8715);
                assertThat(tgt.count("SELECT COUNT(*) FROM invoice_lines")).isEqualTo(2240);
                assertThat(tgt.rows("SELECT s.full_name, b.full_name FROM staff s JOIN staff b ON b.id = s.manager_id "
                        + "WHERE s.email = 'jane@chinookcorp.com'")).containsExactly("Jane Peacock|Nancy Edwards");
                assertThat(tgt.rows("SELECT to_char(invoiced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM invoices i "
                        + "JOIN cutover_log_invoices l ON l.target_key = i.id WHERE l.source_key = 1")).containsExactly("2021-01-01 00:00");

                // window 2: edits, a new artist with an album and a track put on a playlist, an invoice whose customer
                // is stamped in window 3, a deleted invoice line and playlist entry (composite key 1:3402 in the deletion log)
                String ts = "'2024-01-10 00:00:00'";
                exec(src, source,
                        "UPDATE @track@ SET @name@ = 'Renamed', @last_update@ = " + ts + " WHERE @track_id@ = 1",
                        "UPDATE @invoice@ SET @total@ = 99.99, @last_update@ = " + ts + " WHERE @invoice_id@ = 5",
                        "INSERT INTO @artist@ (@artist_id@, @name@, @last_update@) VALUES (300, 'New Band', " + ts + ")",
                        "INSERT INTO @album@ (@album_id@, @title@, @artist_id@, @last_update@) VALUES (400, 'Debut', 300, " + ts + ")",
                        "INSERT INTO @track@ (@track_id@, @name@, @album_id@, @media_type_id@, @genre_id@, @milliseconds@, @unit_price@, "
                                + "@last_update@) VALUES (4000, 'Opener', 400, 1, 1, 200000, 0.99, " + ts + ")",
                        "INSERT INTO @playlist_track@ (@playlist_id@, @track_id@, @last_update@) VALUES (1, 4000, " + ts + ")",
                        "INSERT INTO @customer@ (@customer_id@, @first_name@, @last_name@, @email@, @support_rep_id@, @last_update@) "
                                + "VALUES (100, 'Late', 'Comer', 'late@x.io', 3, '2024-02-05 00:00:00')",
                        "INSERT INTO @invoice@ (@invoice_id@, @customer_id@, @invoice_date@, @total@, @last_update@) "
                                + "VALUES (500, 100, '2024-01-12 08:30:00', 1.98, " + ts + ")",
                        "DELETE FROM @invoice_line@ WHERE @invoice_line_id@ = 1",
                        "DELETE FROM @playlist_track@ WHERE @playlist_id@ = 1 AND @track_id@ = 3402",
                        "INSERT INTO deleted_records VALUES ('@invoice_line@', '1', " + ts + "), ('@playlist_track@', '1:3402', " + ts + ")");
                MigrateResult w2 = migrate(m, T1, T2);
                assertThat(w2.errors()).isEqualTo(1); // invoice 500 waits for customer 100
                assertThat(m.status().outstanding()).isEqualTo(1);
                assertThat(tgt.rows("SELECT title FROM tracks WHERE title IN ('Renamed', 'Opener') ORDER BY 1"))
                        .containsExactly("Opener", "Renamed");
                assertThat(tgt.count("SELECT COUNT(*) FROM playlist_tracks")).isEqualTo(8715);

                // window 3: the customer arrives (its waiting invoice follows), a new manager for an employee
                exec(src, source, "UPDATE @employee@ SET @reports_to@ = 1, @last_update@ = '2024-02-10 00:00:00' WHERE @employee_id@ = 8");
                MigrateResult w3 = migrate(m, T2, T3);
                assertThat(w3.errors()).isZero();
                assertThat(m.status().outstanding()).isZero();
                assertThat(m.openErrors()).isEmpty();
                VerifyReport v = m.verify(VerifyRequest.all(), Progress.silent());
                assertThat(v.mismatches()).isEmpty();
                // every source row of every table compared with its target row
                assertThat(v.steps().stream().mapToLong(s -> s.compared()).sum()).isEqualTo(sourceRows(src, source));
                assertThat(tgt.count("SELECT COUNT(*) FROM invoices WHERE total = 99.99")).isEqualTo(1);

                // the same verify split among three workers, after a corrupted price and a lost playlist entry (a
                // composite key): one worker finds each, and together they compare every row once
                tgt.exec("UPDATE tracks SET price = price + 1 WHERE id = (SELECT target_key FROM cutover_log_tracks WHERE source_key = '42')",
                        "DELETE FROM playlist_tracks WHERE (playlist_id, track_id) = (SELECT playlist_id, track_id FROM playlist_tracks "
                                + "ORDER BY playlist_id DESC, track_id DESC LIMIT 1)");
                VerifyReport one = m.verify(VerifyRequest.all(), Progress.silent());
                List<Mismatch> whole = one.mismatches();
                assertThat(whole).extracting(Mismatch::step).containsExactlyInAnyOrder("tracks", "playlist_tracks");
                List<Mismatch> union = new ArrayList<>();
                long compared = 0;
                for (int i = 0; i < 3; i++) {
                    VerifyReport part = m.verify(new VerifyRequest(null, null, Map.of(), 0, new Worker(i, 3, null)), Progress.silent());
                    union.addAll(part.mismatches());
                    compared += part.steps().stream().mapToLong(c -> c.compared()).sum();
                }
                assertThat(union).containsExactlyInAnyOrderElementsOf(whole);
                assertThat(compared).isEqualTo(one.steps().stream().mapToLong(c -> c.compared()).sum());
            }
        }
    }

    private static MigrateResult migrate(SqlMigration m, LocalDateTime since, LocalDateTime until) {
        return m.migrate(new MigrateRequest(since, until, false, Map.of(), 2, 1000, false), Progress.silent());
    }

    private static long sourceRows(TestDb src, Kind kind) throws Exception {
        long n = 0;
        for (String t : TABLES) {
            n += src.count(names("SELECT COUNT(*) FROM @" + t + "@", kind));
        }
        return n;
    }

    /** Runs the dataset's script for {@code db}'s kind, then adds a change timestamp to every table and a deletion log. */
    private static void load(TestDb db) throws Exception {
        boolean maria = db.kind == Kind.MARIADB;
        String script = Files.readString(SCRIPTS.resolve(maria ? "Chinook_MySql.sql" : "Chinook_PostgreSql.sql"));
        // the scripts create and enter their own database; the test database is already there
        script = script.replaceAll("(?im)^(DROP DATABASE|CREATE DATABASE|USE |\\\\c ).*$", "");
        try (var c = db.connect(); var st = c.createStatement()) {
            for (String statement : script.split(";\\s*\\n")) {
                if (!statement.replaceAll("(?s)/\\*.*?\\*/", "").isBlank()) {
                    st.execute(statement);
                }
            }
        }
        String ts = maria ? "DATETIME" : "TIMESTAMP";
        for (String t : TABLES) {
            exec(db, db.kind, "ALTER TABLE @" + t + "@ ADD @last_update@ " + ts + " NOT NULL DEFAULT '2023-06-01 00:00:00'");
        }
        db.exec("CREATE TABLE deleted_records (table_name VARCHAR(50), record_id VARCHAR(50), deleted_at " + ts + ")");
    }

    private static void exec(TestDb db, Kind kind, String... sql) throws Exception {
        for (String s : sql) {
            db.exec(names(s, kind));
        }
    }

    /** Replaces @snake_name@ with the name as the source's script spells it. */
    private static String names(String text, Kind kind) {
        Matcher m = Pattern.compile("@([a-z_]+)@").matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String snake = m.group(1);
            String name = snake;
            if (kind == Kind.MARIADB) {
                StringBuilder camel = new StringBuilder();
                for (String part : snake.split("_")) {
                    camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
                name = camel.toString();
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(name));
        }
        return m.appendTail(sb).toString();
    }
}
