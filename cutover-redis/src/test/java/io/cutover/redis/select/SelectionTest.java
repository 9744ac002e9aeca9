package io.cutover.redis.select;

import io.cutover.core.error.CutoverException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectionTest {

    @Test
    void globsFollowRedisRules() {
        assertThat(KeyGlob.compile("session:*").matches("session:abc")).isTrue();
        assertThat(KeyGlob.compile("session:*").matches("sessions")).isFalse();
        assertThat(KeyGlob.compile("h?llo").matches("hello")).isTrue();
        assertThat(KeyGlob.compile("h[ae]llo").matches("hallo")).isTrue();
        assertThat(KeyGlob.compile("h[^e]llo").matches("hello")).isFalse();
        assertThat(KeyGlob.compile("h[a-c]llo").matches("hbllo")).isTrue();
        assertThat(KeyGlob.compile("a\\*b").matches("a*b")).isTrue();
        assertThat(KeyGlob.compile("a\\*b").matches("axb")).isFalse();
        assertThat(KeyGlob.compile("x.y+(z)").matches("x.y+(z)")).isTrue();
        assertThat(KeyGlob.compile("*").matches(new byte[] {(byte) 0xff, 0, 10})).isTrue();
    }

    @Test
    void badGlobsAreUsageErrors() {
        assertThatThrownBy(() -> KeyGlob.compile("session:[abc")).isInstanceOf(CutoverException.class)
                .hasMessage("bad glob 'session:[abc': unclosed '['");
        assertThatThrownBy(() -> KeyGlob.compile("a\\")).hasMessage("bad glob 'a\\': trailing backslash");
    }

    @Test
    void selectionCombinesIncludesAndExcludes() {
        KeySelection s = KeySelection.of(List.of("session:*", "user:*"), List.of("*:tmp"));
        assertThat(s.matches(b("session:1"))).isTrue();
        assertThat(s.matches(b("user:9"))).isTrue();
        assertThat(s.matches(b("session:tmp"))).isFalse();
        assertThat(s.matches(b("cache:1"))).isFalse();
        assertThat(s.scanMatch()).isEmpty();
        assertThat(KeySelection.of(List.of("a:*"), null).scanMatch()).contains("a:*");
        assertThat(KeySelection.all().matches(b("anything"))).isTrue();
    }

    @Test
    void dbMappingMergesAndPrefixes() {
        DbMapping m = DbMapping.parse(List.of("3:0:prefix=jobs:", "1:0"));
        assertThat(m.targetDb(3)).isZero();
        assertThat(m.targetDb(1)).isZero();
        assertThat(m.targetDb(5)).isEqualTo(5);
        assertThat(new String(m.targetKey(3, b("q:1")), StandardCharsets.UTF_8)).isEqualTo("jobs:q:1");
        assertThat(new String(m.sourceKey(3, b("jobs:q:1")), StandardCharsets.UTF_8)).isEqualTo("q:1");
        assertThat(m.sourceKey(3, b("other"))).isNull();
        assertThat(m.isIdentity()).isFalse();
    }

    @Test
    void resolveAppliesRulesThenTheTargetUriDatabase() {
        DbMapping given = DbMapping.parse(List.of("3:0:prefix=jobs:"));
        DbMapping same = given.resolve(List.of(1, 3), -1);
        assertThat(same.targetDb(1)).isEqualTo(1);
        assertThat(same.targetDb(3)).isZero();
        assertThat(same.prefix(3)).isEqualTo("jobs:");
        assertThat(DbMapping.identity().resolve(List.of(4), 2).targetDb(4)).isEqualTo(2);
        assertThatThrownBy(() -> DbMapping.identity().resolve(List.of(1, 4), 2)).isInstanceOf(CutoverException.class)
                .hasMessage("--target names database 2 but the source has databases [1, 4]: say where each goes with --db-map SRC:DST");
    }

    @Test
    void badDbMapsAreUsageErrors() {
        assertThatThrownBy(() -> DbMapping.parse(List.of("3"))).hasMessage("--db-map: expected SRC:DST[:prefix=P], got '3'");
        assertThatThrownBy(() -> DbMapping.parse(List.of("a:0"))).hasMessage("--db-map: expected SRC:DST[:prefix=P], got 'a:0'");
        assertThatThrownBy(() -> DbMapping.parse(List.of("3:0:pfx=x"))).hasMessage("--db-map: expected SRC:DST[:prefix=P], got '3:0:pfx=x'");
        assertThatThrownBy(() -> DbMapping.parse(List.of("3:0", "3:1"))).hasMessage("--db-map: database 3 is mapped twice");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
