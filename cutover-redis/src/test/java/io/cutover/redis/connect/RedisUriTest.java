package io.cutover.redis.connect;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisUriTest {

    @Test
    void parsesEveryPart() {
        RedisUri u = RedisUri.parse("rediss://app:p%40ss@cache.example:6380/3", null, "--source");
        assertThat(u).isEqualTo(new RedisUri(true, "app", "p@ss", "cache.example", 6380, 3));
        assertThat(u.toString()).isEqualTo("rediss://app:***@cache.example:6380/3");
    }

    @Test
    void defaultsAndPasswordFallback() {
        RedisUri u = RedisUri.parse("redis://localhost", "fromenv", "--target");
        assertThat(u.port()).isEqualTo(6379);
        assertThat(u.db()).isEqualTo(-1);
        assertThat(u.password()).isEqualTo("fromenv");
        assertThat(u.toString()).isEqualTo("redis://:***@localhost:6379");
        assertThat(RedisUri.parse("redis://:inuri@h", "fromenv", "--target").password()).isEqualTo("inuri");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://localhost:6379|the scheme must be redis:// or rediss://",
            "redis://|not a URI",
            "redis://localhost:6379/x|the path must be a database number, got '/x'",
            "redis://localhost:99999|port out of range",
            "localhost:6379|the scheme must be redis:// or rediss://",
            "redis://h/0?timeout=1|query parameters are not supported; use command options"})
    void rejectsBadUrisWithOneLine(String text, String why) {
        assertThatThrownBy(() -> RedisUri.parse(text, null, "--source"))
                .isInstanceOfSatisfying(CutoverException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).startsWith("--source: bad Redis URI").endsWith(why);
                });
    }

    @Test
    void badUriMessageHidesThePassword() {
        assertThatThrownBy(() -> RedisUri.parse("redis://u:hunter2@h/abc", null, "--source"))
                .hasMessageNotContaining("hunter2");
    }
}
