package io.cutover.router.support;

import io.cutover.router.RouterMain;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The router in a child JVM (for SIGTERM and small-heap tests), started from the test class path. */
public final class ChildRouter implements AutoCloseable {
    public final Process process;
    public final int port;
    public final int adminPort;
    private final Path log;

    public ChildRouter(Path dir, String yaml, String... jvmArgs) throws Exception {
        Path config = dir.resolve("router.yaml");
        Files.writeString(config, yaml);
        log = dir.resolve("router.log");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", cp.replace(File.pathSeparatorChar == ':' ? ";" : ":", File.pathSeparator),
                RouterMain.class.getName(), config.toString()));
        process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (Exception e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("listening ")) {
            process.destroyForcibly();
            throw new IllegalStateException("child router did not start: " + line + "\n" + Files.readString(log));
        }
        String[] parts = line.split(" ");
        port = Integer.parseInt(parts[1]);
        adminPort = Integer.parseInt(parts[2]);
    }

    /** What the child wrote to stderr. */
    public String log() throws Exception {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
