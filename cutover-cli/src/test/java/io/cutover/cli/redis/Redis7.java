package io.cutover.cli.redis;

import io.cutover.testkit.redis.RedisBinaries;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

/** Debian's Redis 7 for the CLI tests: where it is not installed, a test that needs it is skipped, saying why. */
final class Redis7 {
    private Redis7() {
    }

    /** Whether Redis 7 is installed (for {@code @EnabledIf} on classes that start it before their tests). */
    static boolean installed() {
        return RedisBinaries.onPath().isPresent();
    }

    static Path binary() {
        return RedisBinaries.onPath().orElseGet(() -> Assumptions.abort(
                "skipped: needs Redis 7 (Debian's redis-server is not installed: apt-get install redis-server)"));
    }
}
