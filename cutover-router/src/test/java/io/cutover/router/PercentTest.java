package io.cutover.router;

import io.cutover.router.route.Murmur3;
import io.cutover.router.route.StickyPercent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PercentTest {
    private static int h(String s, int seed) {
        return Murmur3.hash32(s.getBytes(StandardCharsets.UTF_8), seed);
    }

    @Test
    void murmur3MatchesKnownVectors() {
        assertThat(h("", 0)).isEqualTo(0);
        assertThat(h("", 1)).isEqualTo(0x514E28B7);
        assertThat(h("", 0xffffffff)).isEqualTo(0x81F16F39);
        assertThat(Murmur3.hash32(new byte[] {0, 0, 0, 0}, 0)).isEqualTo(0x2362F9DE);
        assertThat(h("aaaa", 0x9747b28c)).isEqualTo(0x5A97808A);
        assertThat(h("aaa", 0x9747b28c)).isEqualTo(0x283E0130);
        assertThat(h("aa", 0x9747b28c)).isEqualTo(0x5D211726);
        assertThat(h("a", 0x9747b28c)).isEqualTo(0x7FA09EA6);
        assertThat(h("abcd", 0x9747b28c)).isEqualTo(0xF0478627);
        assertThat(h("Hello, world!", 0x9747b28c)).isEqualTo(0x24884CBA);
        assertThat(h("The quick brown fox jumps over the lazy dog", 0x9747b28c)).isEqualTo(0x2FA826CD);
    }

    @Test
    void sameIdAlwaysSameSide() {
        for (int i = 0; i < 1000; i++) {
            String id = Integer.toString(i);
            assertThat(StickyPercent.in(id, 25)).isEqualTo(StickyPercent.in(id, 25));
            assertThat(StickyPercent.bucket(id)).isEqualTo(StickyPercent.bucket(new String(id.toCharArray())));
        }
    }

    @Test
    void twentyFivePercentIsWithin23And27OverTenThousandIds() {
        int in = 0;
        for (int i = 1; i <= 10_000; i++) {
            if (StickyPercent.in(Integer.toString(i), 25)) {
                in++;
            }
        }
        assertThat(in).isBetween(2300, 2700);
    }

    @Test
    void raisingTheShareKeepsEveryIdAlreadyIn() {
        Set<String> at25 = new HashSet<>();
        Set<String> at50 = new HashSet<>();
        for (int i = 1; i <= 10_000; i++) {
            String id = Integer.toString(i);
            if (StickyPercent.in(id, 25)) {
                at25.add(id);
            }
            if (StickyPercent.in(id, 50)) {
                at50.add(id);
            }
        }
        assertThat(at50).containsAll(at25);
        assertThat(at50.size()).isBetween(4700, 5300);
        assertThat(StickyPercent.in("1", 0)).isFalse();
        assertThat(StickyPercent.in("1", 100)).isTrue();
    }
}
