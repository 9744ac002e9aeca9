package io.cutover.redis.copy;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one copy (args: source URI, target URI) and prints the outcome and the process's peak resident memory
 * (VmHWM from /proc/self/status), for tests that run it in a JVM with a small heap.
 */
public final class CopyInChildJvm {
    private CopyInChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisEndpoint source = new RedisEndpoint(RedisUri.parse(args[0], null, "--source"), "source");
             RedisEndpoint target = new RedisEndpoint(RedisUri.parse(args[1], null, "--target"), "target")) {
            CopyReport r = new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run();
            System.out.println("copied " + r.copied() + " failed " + r.failed() + " mode " + r.mode());
        }
        Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .forEach(System.out::println);
    }
}
