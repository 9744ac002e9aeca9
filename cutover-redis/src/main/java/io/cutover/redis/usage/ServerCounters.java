package io.cutover.redis.usage;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server-wide counters from {@code INFO commandstats} and {@code INFO stats}: calls per command and keyspace hits
 * and misses. Two readings give what happened in between.
 *
 * @param calls  calls per command name, lower case ({@code client|list} on 7.0 for subcommands)
 * @param hits   keyspace_hits: reads that found their key
 * @param misses keyspace_misses: reads that did not
 */
record ServerCounters(Map<String, Long> calls, long hits, long misses) {

    /** Parses the text of {@code INFO commandstats} and {@code INFO stats} together. */
    static ServerCounters parse(String info) {
        Map<String, Long> calls = new HashMap<>();
        long hits = 0;
        long misses = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                int colon = line.indexOf(':');
                int start = line.indexOf("calls=", colon);
                if (colon < 0 || start < 0) {
                    continue;
                }
                int end = line.indexOf(',', start);
                calls.put(line.substring("cmdstat_".length(), colon).toLowerCase(java.util.Locale.ROOT),
                        number(line.substring(start + 6, end < 0 ? line.length() : end)));
            } else if (line.startsWith("keyspace_hits:")) {
                hits = number(line.substring("keyspace_hits:".length()));
            } else if (line.startsWith("keyspace_misses:")) {
                misses = number(line.substring("keyspace_misses:".length()));
            }
        }
        return new ServerCounters(Map.copyOf(calls), hits, misses);
    }

    /** What changed from {@code before} to this reading (commands not called in between left out). */
    ServerCounters since(ServerCounters before) {
        Map<String, Long> d = new TreeMap<>();
        calls.forEach((cmd, n) -> {
            long delta = n - before.calls.getOrDefault(cmd, 0L);
            if (delta > 0) {
                d.put(cmd, delta);
            }
        });
        return new ServerCounters(java.util.Collections.unmodifiableMap(d), hits - before.hits, misses - before.misses);
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
