package io.cutover.router.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.core.error.CutoverException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a shadow diffs file says: pairs compared, pairs differing, and per field how often it differed with one
 * example. The counts come from each route's last totals line, the examples from the differing pairs written.
 */
public final class DiffSummary {
    private DiffSummary() {
    }

    /** One field: how many compared pairs differed in it, and one such pair (route, method, target, both values). */
    public record FieldCount(String field, long count, Map<String, Object> example) {
    }

    /** The whole file. */
    public record Summary(long compared, long differing, List<FieldCount> fields) {
    }

    /** Reads {@code file}; a missing or malformed file is a usage error (exit 2). */
    public static Summary read(Path file) {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> lastCount = new LinkedHashMap<>();
        Map<String, Map<String, Object>> examples = new HashMap<>();
        Map<String, Long> diffLines = new LinkedHashMap<>();
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = mapper.readTree(line);
                } catch (IOException e) {
                    throw CutoverException.usage(file + ":" + lineNo + ": not a JSON line of a shadow diffs file");
                }
                String kind = n.path("kind").asText();
                String route = n.path("route").asText();
                if (kind.equals("count")) {
                    lastCount.put(route, n);
                } else if (kind.equals("diff")) {
                    for (JsonNode f : n.path("fields")) {
                        String field = f.path("field").asText();
                        diffLines.merge(field, 1L, Long::sum);
                        examples.computeIfAbsent(field, k -> example(n, f));
                    }
                } else {
                    throw CutoverException.usage(file + ":" + lineNo + ": not a line of a shadow diffs file (kind '" + kind + "')");
                }
            }
        } catch (NoSuchFileException e) {
            throw CutoverException.usage("shadow diffs file " + file + " does not exist");
        } catch (IOException e) {
            throw CutoverException.usage("cannot read " + file + ": " + e.getMessage());
        }
        long compared = 0;
        long differing = 0;
        Map<String, Long> counts = new LinkedHashMap<>();
        for (JsonNode c : lastCount.values()) {
            compared += c.path("compared").asLong();
            differing += c.path("differing").asLong();
            c.path("fields").fields().forEachRemaining(e -> counts.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        // a file cut short before its first totals line still shows the pairs it holds
        diffLines.forEach(counts::putIfAbsent);
        List<FieldCount> fields = new ArrayList<>();
        counts.forEach((f, n) -> fields.add(new FieldCount(f, n, examples.get(f))));
        fields.sort(Comparator.comparingLong(FieldCount::count).reversed().thenComparing(FieldCount::field));
        return new Summary(compared, differing, List.copyOf(fields));
    }

    private static Map<String, Object> example(JsonNode line, JsonNode field) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", line.path("route").asText());
        m.put("method", line.path("method").asText());
        m.put("target", line.path("target").asText());
        m.put("primary", field.get("primary"));
        m.put("shadow", field.get("shadow"));
        return m;
    }
}
