package io.cutover.redis.verify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TtlDetailTest {
    @Test
    void bothTtlsAreShownInMillisecondsWithTheirDistance() {
        // rounded to minutes these two read the same ("1h59m"): the detail must not
        assertThat(RedisVerify.ttlDetail(7_199_412, 7_196_003, 2000))
                .isEqualTo("TTL 7199412 ms on source, TTL 7196003 ms on target (3409 ms apart, tolerance 2000 ms)");
        assertThat(RedisVerify.ttlDetail(2_680_000, -1, 2000)).isEqualTo("TTL 2680000 ms on source, no TTL on target");
    }
}
