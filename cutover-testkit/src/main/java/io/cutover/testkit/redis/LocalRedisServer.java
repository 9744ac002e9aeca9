package io.cutover.testkit.redis;

import io.cutover.core.error.CutoverException;
import io.cutover.testkit.Ports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway redis-server process on a free loopback port, persisting nothing, for the demo and tests.
 * Extra arguments are passed as command-line config (e.g. {@code --rename-command CONFIG ""}).
 */
public final class LocalRedisServer implements AutoCloseable {
    private final Path binary;
    private final Process process;
    private final int port;
    private final Path dir;

    private LocalRedisServer(Path binary, Process process, int port, Path dir) {
        this.binary = binary;
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts {@code binary} on a free port and waits until it answers PING. */
    public static LocalRedisServer start(Path binary, String... extraArgs) {
        CutoverException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnce(binary, freePort(), extraArgs);
            } catch (CutoverException e) {
                last = e; // most likely the port was taken between probing and binding
            }
        }
        throw last;
    }

    /** Starts {@code binary} on {@code port} and waits until it answers PING. */
    public static LocalRedisServer startOnce(Path binary, int port, String... extraArgs) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("cutover-redis-" + port + "-");
            List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--daemonize", "no"));
            cmd.addAll(Arrays.asList(extraArgs));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            LocalRedisServer server = new LocalRedisServer(binary, p, port, dir);
            server.awaitPing();
            return server;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw CutoverException.runtime("cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = log();
                close();
                throw CutoverException.runtime("redis-server exited at start: " + log.strip().replaceAll("\\s+", " "));
            }
            if (ping()) {
                return;
            }
            sleep(20);
        }
        close();
        throw CutoverException.runtime("redis-server on port " + port + " did not answer within 15s");
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[64];
            InputStream in = s.getInputStream();
            int n = in.read(buf);
            // "-NOAUTH" also proves it is up (servers started with requirepass)
            return n > 0 && (buf[0] == '+' || buf[0] == '-');
        } catch (IOException e) {
            return false;
        }
    }

    /** A free loopback port (probe, close, hand out). */
    public static int freePort() {
        return Ports.free();
    }

    public int port() {
        return port;
    }

    public Path binary() {
        return binary;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** {@code redis://127.0.0.1:PORT/db}. */
    public String uri(int db) {
        return uri() + "/" + db;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The server's own log so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /** Sleeps; an interrupt becomes a runtime failure. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        }
    }
}
