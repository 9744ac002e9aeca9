package io.cutover.core.output;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {
    @Test
    void alignsColumnsAndRightAlignsNumbers() {
        String out = new Table("prefix", "keys", "bytes").row("session", 1200, "4.0 MB").row("cache", 7, "512 B").render();
        assertThat(out).isEqualTo("""
                prefix   keys   bytes
                ---------------------
                session  1200  4.0 MB
                cache       7   512 B
                """);
    }

    @Test
    void jsonKeepsRecordFieldOrder() {
        record Db(int db, long keys) {
        }
        assertThat(Json.write(Map.of("databases", java.util.List.of(new Db(0, 3))))).contains("\"db\" : 0", "\"keys\" : 3");
        assertThat(Json.write(new Db(1, 2)).indexOf("db")).isLessThan(Json.write(new Db(1, 2)).indexOf("keys"));
    }

    @Test
    void bytesAreHuman() {
        assertThat(Bytes.human(512)).isEqualTo("512 B");
        assertThat(Bytes.human(4 * 1024 * 1024)).isEqualTo("4.0 MB");
    }
}
