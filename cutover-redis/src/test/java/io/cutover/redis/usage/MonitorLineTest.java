package io.cutover.redis.usage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lines as Redis 2.8.19, 6.2 and 7.0 printed them here for the same commands. */
class MonitorLineTest {

    private static MonitorLine parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        return MonitorLine.parse(b, b.length, false);
    }

    @Test
    void undoesEveryEscapeSoBinaryKeysComeBackByteForByte() {
        MonitorLine l = parse("1796573698.541761 [0 127.0.0.1:33312] \"SET\" \"a\\x00b\" \"v\\\"q\"");
        assertThat(l.time()).isEqualTo(Instant.ofEpochSecond(1796573698L, 541_761_000));
        assertThat(l.db()).isZero();
        assertThat(l.client()).isEqualTo("127.0.0.1:33312");
        assertThat(l.command()).isEqualTo("set");
        assertThat(l.args().get(1)).containsExactly('a', 0, 'b');
        assertThat(new String(l.args().get(2), StandardCharsets.UTF_8)).isEqualTo("v\"q");

        MonitorLine odd = parse("1796573703.345262 [3 127.0.0.1:53080] \"set\" \"sp ace\\\\x\\xc3\\xa9\" \"a\\tb\\nc\\r\\a\\b\"");
        assertThat(odd.db()).isEqualTo(3);
        assertThat(new String(odd.args().get(1), StandardCharsets.UTF_8)).isEqualTo("sp ace\\xé");
        assertThat(new String(odd.args().get(2), StandardCharsets.UTF_8)).isEqualTo("a\tb\nc\r\u0007\b");
    }

    @Test
    void readsScriptsSocketsIpv6AndThePre26Format() {
        assertThat(parse("1796573703.334005 [0 lua] \"set\" \"lk\" \"1\"").client()).isEqualTo(MonitorLine.SCRIPT_CLIENT);
        assertThat(parse("1.5 [2 unix:/tmp/redis.sock] \"get\" \"k\"").client()).isEqualTo("unix:/tmp/redis.sock");
        MonitorLine v6 = parse("1.5 [4 [::1]:6000] \"get\" \"k]\"");
        assertThat(v6.client()).isEqualTo("[::1]:6000");
        assertThat(v6.db()).isEqualTo(4);
        MonitorLine old = parse("1339518083.107412 (db 1) \"get\" \"k\"");
        assertThat(old.db()).isEqualTo(1);
        assertThat(old.client()).isEmpty();
        assertThat(parse("1.0 [0 127.0.0.1:1] \"PING\"").args()).hasSize(1);
    }

    @Test
    void aCutLineKeepsItsWholeArgumentsAndAnythingElseIsRefused() {
        byte[] b = "1.0 [0 127.0.0.1:1] \"SET\" \"big:1\" \"xxxxxxxx".getBytes(StandardCharsets.US_ASCII);
        MonitorLine cut = MonitorLine.parse(b, b.length, true);
        assertThat(cut.complete()).isFalse();
        assertThat(cut.args()).hasSize(2);
        assertThatThrownBy(() -> MonitorLine.parse(b, b.length, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("OK")).hasMessageContaining("not a MONITOR line");
        assertThatThrownBy(() -> parse("1.0 [0 127.0.0.1:1] \"get\" \"\\xZZ\"")).isInstanceOf(IllegalArgumentException.class);
    }
}
