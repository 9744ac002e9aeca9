package io.cutover.testkit.redis;

import io.cutover.core.error.CutoverException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Finds redis-server binaries for local servers (demo, tests): Debian's {@code redis-server} on the PATH, or the
 * Linux binaries shipped inside the embedded-redis jars (2.8.19 in it.ozimov:embedded-redis:0.7.3, 6.2 in
 * com.github.codemonstur:embedded-redis:1.4.3) when those jars are on the classpath.
 */
public final class RedisBinaries {
    /** Resource name of Redis 2.8.19 in it.ozimov:embedded-redis. */
    public static final String REDIS_2_8 = "redis-server-2.8.19";
    /** Resource name of Redis 6.2 in com.github.codemonstur:embedded-redis (reports 6.2.11). */
    public static final String REDIS_6_2 = "redis-server-6.2.6-v5-linux-amd64";

    private RedisBinaries() {
    }

    /** Debian's (or any) {@code redis-server} on the PATH. */
    public static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir, "redis-server");
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        Path debian = Path.of("/usr/bin/redis-server");
        return Files.isExecutable(debian) ? Optional.of(debian) : Optional.empty();
    }

    /** Extracts a binary shipped as a classpath resource into the temp directory (reused across runs). */
    public static Optional<Path> fromClasspath(String resource) {
        try (InputStream in = RedisBinaries.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "cutover-redis-bin");
            Files.createDirectories(dir);
            Path target = dir.resolve(resource);
            if (!Files.isExecutable(target)) {
                Path tmp = Files.createTempFile(dir, resource, ".part");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return Optional.of(target);
        } catch (IOException e) {
            throw CutoverException.runtime("cannot extract " + resource + ": " + e.getMessage(), e);
        }
    }

    /** Redis 2.8.19 (needs it.ozimov:embedded-redis on the classpath). */
    public static Path redis28() {
        return fromClasspath(REDIS_2_8).orElseThrow(() -> missing(REDIS_2_8));
    }

    /** Redis 6.2 (needs com.github.codemonstur:embedded-redis on the classpath). */
    public static Path redis62() {
        return fromClasspath(REDIS_6_2).orElseThrow(() -> missing(REDIS_6_2));
    }

    /** Why a test that needs Redis 7 is skipped (a constant, so that {@code @EnabledIf} can name it too). */
    public static final String NO_REDIS7 = "needs Redis 7: Debian's redis-server is not installed (apt-get install redis-server)";

    /** Whether Debian's Redis 7.x is installed (the tests that need it are skipped without it). */
    public static boolean hasRedis7() {
        return onPath().isPresent();
    }

    /** The best binary available: Debian's, else 6.2 from the classpath, else 2.8. */
    public static Path any() {
        return onPath().or(() -> fromClasspath(REDIS_6_2)).or(() -> fromClasspath(REDIS_2_8))
                .orElseThrow(() -> CutoverException.runtime(
                        "no redis-server found: install Debian's redis-server (apt-get install redis-server)"));
    }

    private static CutoverException missing(String resource) {
        return CutoverException.runtime(resource + " is not on the classpath");
    }
}
