package io.cutover.redis.usage;

import io.cutover.core.output.Table;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Who used which keys during a sample: the rows, and what the sample can and cannot tell.
 *
 * @param source  MONITOR, or the CLIENT LIST fallback
 * @param seconds how long the sample lasted
 * @param usage   per client × database × prefix (the fallback: per client, without prefix and counts)
 * @param details what else the source says
 */
public record UsageReport(UsageSource source, double seconds, List<UsageRow> usage, Details details) {

    public UsageReport {
        usage = List.copyOf(usage);
    }

    /** What else the sample says, by source. */
    public sealed interface Details {
    }

    /**
     * A MONITOR sample.
     *
     * @param lines           lines counted (our own left out)
     * @param maxLinesReached the sample ended at --max-lines, before its time
     * @param cutLines        lines too long to keep whole (their later keys were not counted)
     * @param unknownCommands commands not in the command table, with how often each was seen
     */
    public record Monitored(long lines, boolean maxLinesReached, long cutLines, Map<String, Long> unknownCommands)
            implements Details {
    }

    /**
     * The fallback when MONITOR is refused.
     *
     * @param refusal the server's answer to MONITOR
     * @param server  server-wide calls, hits and misses during the sample
     */
    public record Fallback(String refusal, ServerTotals server) implements Details {
    }

    /**
     * Server-wide counters over the sample.
     *
     * @param reads         calls of commands that read keys, per command
     * @param writes        calls of commands that write keys, per command
     * @param keyspaceHits  reads that found their key
     * @param keyspaceMisses reads that did not
     */
    public record ServerTotals(Map<String, Long> reads, Map<String, Long> writes, long keyspaceHits,
                               long keyspaceMisses) {
        public long totalReads() {
            return reads.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totalWrites() {
            return writes.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** What the fallback can and cannot tell, for people. */
    public static final String FALLBACK_STATEMENT = "This shows who is connected, the database each has selected and "
            + "when each last sent a command (CLIENT LIST), and the server-wide reads, writes and keyspace hit ratio "
            + "over the sample (INFO commandstats, INFO stats). It cannot tell which keys or prefixes a client touches, "
            + "how many reads or writes each client made, nor the databases a client reaches with SELECT between two "
            + "listings: for that, run it where MONITOR is allowed (a restored snapshot with the traffic replayed, or "
            + "the old self-managed instance).";

    /** The JSON form: {@code source}, {@code seconds}, {@code usage[]}. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source.json());
        m.put("seconds", seconds);
        m.put("usage", usage.stream().map(UsageReport::json).toList());
        return m;
    }

    private static Map<String, Object> json(UsageRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client", r.client());
        m.put("library", r.library());
        m.put("address", r.address());
        m.put("db", r.db());
        if (r.prefix() == null) {
            m.put("prefix", null);
        } else if (r.prefix().text().isPresent()) {
            m.put("prefix", r.prefix().text().get());
        } else {
            m.put("prefix_base64", r.prefix().base64());
        }
        m.put("reads", r.reads());
        m.put("writes", r.writes());
        m.put("last_seen", r.lastSeen());
        return m;
    }

    /** The table for people, with what the sample could not see. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        if (details instanceof Fallback f) {
            sb.append("MONITOR refused (").append(f.refusal()).append("): falling back to CLIENT LIST and INFO.\n")
                    .append(wrap(FALLBACK_STATEMENT, 100)).append("\n");
            Table t = new Table("client", "library", "address", "db", "last seen (UTC)");
            for (UsageRow r : usage) {
                t.row(orDash(r.client()), orDash(r.library()), r.address(), r.db(),
                        r.lastSeen() == null ? "-" : SECONDS.format(r.lastSeen()));
            }
            sb.append(usage.isEmpty() ? "no other clients connected\n" : t.render());
            ServerTotals s = f.server();
            long lookups = s.keyspaceHits() + s.keyspaceMisses();
            sb.append(String.format("server-wide over %.1fs: %d reads%s, %d writes%s; keyspace hits %d, misses %d%s%n",
                    seconds, s.totalReads(), top(s.reads()), s.totalWrites(), top(s.writes()), s.keyspaceHits(),
                    s.keyspaceMisses(), lookups == 0 ? "" : String.format(" (%.1f%% hits)", 100.0 * s.keyspaceHits() / lookups)));
            return sb.toString();
        }
        Monitored m = (Monitored) details;
        Table t = new Table("client", "library", "address", "db", "prefix", "reads", "writes", "last seen (UTC)");
        for (UsageRow r : usage) {
            t.row(orDash(r.client()), orDash(r.library()), r.address(), r.db(), r.prefix().display(), r.reads(),
                    r.writes(), time(r.lastSeen()));
        }
        sb.append(usage.isEmpty() ? "no key reads or writes seen\n" : t.render());
        sb.append(String.format("MONITOR for %.1fs: %d commands seen%s%n", seconds, m.lines(),
                m.maxLinesReached() ? " (stopped at --max-lines)" : ""));
        if (m.cutLines() > 0) {
            sb.append(m.cutLines()).append(m.cutLines() == 1 ? " command" : " commands").append(" longer than ")
                    .append(MonitorStream.MAX_LINE >> 20).append(" MB (big values) ")
                    .append(m.cutLines() == 1 ? "was" : "were").append(" read in part: keys after that were not counted\n");
        }
        if (!m.unknownCommands().isEmpty()) {
            sb.append("not counted, commands unknown to cutover: ").append(counts(m.unknownCommands())).append('\n');
        }
        return sb.toString();
    }

    private static String top(Map<String, Long> calls) {
        return calls.isEmpty() ? "" : " (" + counts(calls) + ")";
    }

    private static String counts(Map<String, Long> calls) {
        return calls.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                + (calls.size() > 8 ? ", …" : "");
    }

    private static String wrap(String text, int width) {
        StringBuilder sb = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (sb.length() - lineStart + word.length() >= width && sb.length() > lineStart) {
                sb.setLength(sb.length() - 1);
                sb.append('\n');
                lineStart = sb.length();
            }
            sb.append(word).append(' ');
        }
        sb.setLength(sb.length() - 1);
        return sb.append('\n').toString();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }
}
