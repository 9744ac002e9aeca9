package io.cutover.redis.copy;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;

import java.nio.file.Path;

/** A copy in a JVM of its own, so a test can kill it part way: args SOURCE TARGET CHECKPOINT RATE. */
public final class CopyProcess {
    private CopyProcess() {
    }

    public static void main(String[] args) {
        try (RedisEndpoint source = CopyAssertions.endpoint(args[0], "source");
             RedisEndpoint target = CopyAssertions.endpoint(args[1], "target")) {
            CopyOptions o = CopyOptions.defaults().withCheckpoint(Path.of(args[2])).withRate(Long.parseLong(args[3]))
                    .withBatch(200);
            new RedisCopy(source, target, o, Progress.silent()).run();
        }
    }
}
