package io.cutover.redis.usage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts MONITOR lines per client address × database × key prefix: a command counts once as a read under each
 * prefix it reads a key of, and once as a write under each prefix it writes a key of. Commands a script runs
 * ({@code [db lua]}) count for the client whose EVAL/FCALL came just before them. Memory stays bounded: past
 * {@link #MAX_ROWS} rows, new prefixes count under {@link KeyPrefix#OTHER}.
 */
final class UsageTally {
    static final int MAX_ROWS = 100_000;

    /** Where a row's counts go. */
    private record RowKey(String address, int db, KeyPrefix prefix) {
    }

    private static final class Counts {
        long reads;
        long writes;
        Instant lastSeen;
    }

    private final byte[] delimiter;
    private final int depth;
    private final int onlyDb;
    private final Set<String> ours;
    private final Map<RowKey, Counts> rows = new HashMap<>();
    private final Map<String, Long> unknown = new TreeMap<>();
    private String scriptCaller;
    private long lines;
    private long cutLines;

    /**
     * @param onlyDb the database to report (the URI's), or -1 for all
     * @param ours   the addresses of our own connections, left out
     */
    UsageTally(String delimiter, int depth, int onlyDb, Set<String> ours) {
        this.delimiter = delimiter.getBytes(StandardCharsets.UTF_8);
        this.depth = depth;
        this.onlyDb = onlyDb;
        this.ours = Set.copyOf(ours);
    }

    /** Counts one line. */
    void add(MonitorLine line) {
        String client = line.client();
        if (ours.contains(client)) {
            return;
        }
        lines++;
        if (!line.complete()) {
            cutLines++;
        }
        CommandTable.Command command = CommandTable.lookup(line.command());
        if (MonitorLine.SCRIPT_CLIENT.equals(client)) {
            if (scriptCaller != null) {
                client = scriptCaller;
            }
        } else if (command.kind() == CommandTable.Kind.SCRIPT) {
            scriptCaller = client;
        }
        switch (command.kind()) {
            case KEYED -> count(command, line, client);
            case UNKNOWN -> unknown.merge(line.command(), 1L, Long::sum);
            case KEYLESS, SCRIPT -> {
                // no key of its own: a script's keys come on its own lines
            }
        }
    }

    private void count(CommandTable.Command command, MonitorLine line, String client) {
        if (onlyDb >= 0 && line.db() != onlyDb) {
            return;
        }
        Map<KeyPrefix, boolean[]> touched = new LinkedHashMap<>();
        for (KeySpec spec : command.keys()) {
            spec.keys(line.args(), (key, access) -> {
                boolean[] rw = touched.computeIfAbsent(KeyPrefix.of(key, delimiter, depth), p -> new boolean[2]);
                rw[access == Access.READ ? 0 : 1] = true;
            });
        }
        touched.forEach((prefix, rw) -> {
            RowKey k = new RowKey(client, line.db(), prefix);
            Counts c = rows.get(k);
            if (c == null) {
                if (rows.size() >= MAX_ROWS) {
                    k = new RowKey(client, line.db(), KeyPrefix.OTHER);
                }
                c = rows.computeIfAbsent(k, x -> new Counts());
            }
            c.reads += rw[0] ? 1 : 0;
            c.writes += rw[1] ? 1 : 0;
            if (c.lastSeen == null || line.time().isAfter(c.lastSeen)) {
                c.lastSeen = line.time();
            }
        });
    }

    /** Lines counted (ours left out). */
    long lines() {
        return lines;
    }

    /** Lines too long to keep whole: keys past their first {@link MonitorStream#MAX_LINE} bytes were not seen. */
    long cutLines() {
        return cutLines;
    }

    /** Commands this table does not know, by name, with how often each was seen. */
    Map<String, Long> unknownCommands() {
        return Map.copyOf(unknown);
    }

    /** The rows, with names and libraries from {@code clients}; by client name, address, db, prefix. */
    List<UsageRow> rows(ClientDirectory clients) {
        List<UsageRow> out = new ArrayList<>(rows.size());
        rows.forEach((k, c) -> out.add(new UsageRow(clients.name(k.address()), clients.library(k.address()),
                k.address(), k.db(), k.prefix(), c.reads, c.writes, c.lastSeen)));
        out.sort(ORDER);
        return out;
    }

    static final Comparator<UsageRow> ORDER = Comparator
            .comparing((UsageRow r) -> r.client() == null ? "\uffff" : r.client())
            .thenComparing(UsageRow::address).thenComparingInt(UsageRow::db)
            .thenComparing(UsageRow::prefix, (a, b) -> a == null || b == null ? 0 : a.compareTo(b));
}
