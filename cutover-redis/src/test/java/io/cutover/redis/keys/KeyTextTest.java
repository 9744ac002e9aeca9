package io.cutover.redis.keys;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KeyTextTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void quotesAsRedisCliDoesWhereNeeded() {
        assertThat(KeyText.quote(b("session:42"))).isEqualTo("session:42");
        assertThat(KeyText.quote(new byte[] {'a', 0})).isEqualTo("\"a\\x00\"");
        assertThat(KeyText.quote(b("a\\x00"))).isEqualTo("\"a\\\\x00\"");
        assertThat(KeyText.quote(b(" lead"))).isEqualTo("\" lead\"");
        assertThat(KeyText.quote(b("say \"hi\"\n"))).isEqualTo("\"say \\\"hi\\\"\\n\"");
        assertThat(KeyText.quote(b("café"))).isEqualTo("café"); // readable UTF-8 stays readable
        assertThat(KeyText.quote(b("zero\u200bwidth"))).isEqualTo("\"zero\\xe2\\x80\\x8bwidth\"");
        assertThat(KeyText.quote(new byte[] {'b', (byte) 0xff})).isEqualTo("\"b\\xff\"");
        assertThat(KeyText.quote(new byte[0])).isEqualTo("\"\"");
    }

    @Test
    void unquoteIsTheExactInverse() {
        for (byte[] k : List.of(b("plain"), new byte[] {'a', 0}, b("a\\x00"), b(" lead"), b("q\"\t\r\n\u0007\b"),
                new byte[] {(byte) 0xff, 0x7f, 0x1f}, new byte[0], b("x".repeat(100)), b("sésame key"), b("zero\u200bwidth"))) {
            assertThat(KeyText.unquote(KeyText.quote(k))).isEqualTo(k);
        }
    }

    @Test
    void longKeysAreCutWithTheirLength() {
        byte[] k = b("long:" + "x".repeat(10_240));
        String cut = KeyText.cut(k, 60);
        assertThat(cut).hasSize(60).startsWith("long:xxx").endsWith("…(10245 bytes)");
        assertThat(KeyText.cut(b("short"), 60)).isEqualTo("short");
    }

    @Test
    void jsonCarriesTextOrBase64() {
        Map<String, Object> m = new LinkedHashMap<>();
        KeyText.putJson(m, "key", new byte[] {'a', 0});
        KeyText.putJson(m, "target_key", new byte[] {(byte) 0xff});
        assertThat(m).containsEntry("key", "a\u0000").containsEntry("target_key_base64", "/w==");
    }
}
