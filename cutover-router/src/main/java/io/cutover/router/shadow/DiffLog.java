package io.cutover.router.shadow;

import io.cutover.core.output.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSONL file of a route's shadow comparisons, started afresh when the router starts. Two kinds of line:
 * {@code "kind":"diff"}, one of the first {@code max} differing pairs, with both answers; and {@code "kind":"count"},
 * the route's totals so far (compared, differing, and differences by field), written at most once a second while they
 * change and when the router stops. {@link DiffSummary} reads both.
 */
final class DiffLog implements AutoCloseable {
    private final Path file;
    private final int max;
    private BufferedWriter out;
    private int written;
    private boolean broken;

    DiffLog(Path file, int max) {
        this.file = file;
        this.max = max;
    }

    synchronized void open() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /** Writes a differing pair when fewer than {@code max} have been; true when written. */
    synchronized boolean diff(String route, ShadowRequest request, List<Difference> fields, Observed primary, Observed shadow) {
        if (written >= max || out == null) {
            return false;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", "diff");
        line.put("time", Instant.now().toString());
        line.put("route", route);
        line.put("method", request.method());
        line.put("target", request.target());
        line.put("fields", fields);
        line.put("primary", answer(primary));
        line.put("shadow", answer(shadow));
        if (write(line)) {
            written++;
            return true;
        }
        return false;
    }

    /** Writes the route's totals. */
    synchronized void count(String route, long compared, long differing, Map<String, Long> byField) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", "count");
        line.put("time", Instant.now().toString());
        line.put("route", route);
        line.put("compared", compared);
        line.put("differing", differing);
        line.put("fields", byField);
        write(line);
    }

    private boolean write(Map<String, Object> line) {
        if (out == null || broken) {
            return false;
        }
        try {
            out.write(Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(line));
            out.write('\n');
            out.flush();
            return true;
        } catch (IOException e) {
            broken = true; // a full disk must not stop the router; the metrics still count
            org.slf4j.LoggerFactory.getLogger(DiffLog.class).warn("cannot write shadow diffs to {}: {}", file, e.toString());
            return false;
        }
    }

    private static Map<String, Object> answer(Observed o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", o.status());
        m.put("headers", o.headers());
        String body = new String(o.body(), StandardCharsets.UTF_8);
        m.put("body", body.length() > 65536 ? body.substring(0, 65536) + "…" : body);
        return m;
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing more to write
            }
            out = null;
        }
    }
}
