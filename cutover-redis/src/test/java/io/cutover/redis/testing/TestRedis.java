package io.cutover.redis.testing;

import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Real redis-server processes for tests: 2.8.19 and 6.2 from the embedded-redis jars, 7.x from Debian's package
 * (a test that needs 7.x is skipped, saying why, where it is not installed).
 */
public enum TestRedis {
    V2_8, V6_2, V7;

    /** Config that makes the server behave like a managed service: the commands they forbid are gone. */
    public static final String[] MANAGED = {
            "--rename-command", "MIGRATE", "", "--rename-command", "SYNC", "", "--rename-command", "PSYNC", "",
            "--rename-command", "KEYS", "", "--rename-command", "CONFIG", "", "--rename-command", "DEBUG", ""};

    public Path binary() {
        return switch (this) {
            case V2_8 -> RedisBinaries.redis28();
            case V6_2 -> RedisBinaries.redis62();
            case V7 -> RedisBinaries.onPath().orElseGet(() -> Assumptions.abort(RedisBinaries.NO_REDIS7));
        };
    }

    /** Starts a server of this version on a free port. */
    public LocalRedisServer start(String... args) {
        return LocalRedisServer.start(binary(), args);
    }

    /** Starts a server of this version with the managed-service restrictions plus {@code args}. */
    public LocalRedisServer startManaged(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(MANAGED));
        all.addAll(Arrays.asList(args));
        return start(all.toArray(String[]::new));
    }
}
