package io.cutover.cli.redis;

import io.cutover.testkit.redis.RedisBinaries;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

/** Debian's Redis 7 for the CLI tests: where it is not installed, a test that needs it is skipped, saying why. */
final class Redis7 {
    private Redis7() {
    }

    static Path binary() {
        return RedisBinaries.onPath().orElseGet(() -> Assumptions.abort(RedisBinaries.NO_REDIS7));
    }
}
