package io.cutover.redis.inventory;

import io.cutover.redis.keys.KeyText;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cutover.core.output.Bytes;
import io.cutover.core.output.Table;

import java.time.Duration;
import java.util.List;

/**
 * What a keyspace holds: the result of {@link KeyspaceInventory#run()}. Its JSON form is the stable
 * {@code cutover redis inventory --format json} output.
 *
 * @param server    server version and how bytes were measured
 * @param databases per database, in db order
 * @param biggest   the biggest keys, biggest first
 * @param selected  what a target holding only the selected keys would need; null without include/exclude
 * @param elapsedMs how long the scan took
 */
@JsonPropertyOrder({"server", "databases", "biggest", "selected", "elapsed_ms"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Inventory(Server server, List<DbInventory> databases, List<BigKey> biggest, Selected selected,
                        @JsonProperty("elapsed_ms") long elapsedMs) {

    /**
     * @param version     redis_version
     * @param bytesSource {@code memory_usage} (MEMORY USAGE, 4.0+) or {@code estimate} (older servers, or MEMORY
     *                    USAGE refused: lengths and sampled elements)
     * @param primaries   how many servers were scanned: 1, or a cluster's primaries
     */
    public record Server(String version, @JsonProperty("bytes_source") String bytesSource, int primaries) {
    }

    /**
     * @param rule  the selection in words ("keep session:*")
     * @param keys  selected keys
     * @param bytes their size
     */
    public record Selected(String rule, long keys, long bytes) {
    }

    /** Total keys over all databases. */
    public long keys() {
        return databases.stream().mapToLong(DbInventory::keys).sum();
    }

    /** Total bytes over all databases. */
    public long bytes() {
        return databases.stream().mapToLong(DbInventory::bytes).sum();
    }

    /** The human table form. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("server ").append(server.version())
                .append(server.primaries() > 1 ? " (a cluster of " + server.primaries() + " primaries)" : "")
                .append(server.bytesSource().equals("memory_usage") ? ", sizes from MEMORY USAGE"
                        : ", sizes estimated from lengths and sampled elements (no MEMORY USAGE)")
                .append('\n');
        if (databases.isEmpty()) {
            sb.append("no keys\n");
        }
        for (DbInventory db : databases) {
            sb.append('\n').append("db ").append(db.db()).append(": ").append(db.keys()).append(" keys, ")
                    .append(Bytes.human(db.bytes())).append('\n');
            Table t = new Table("prefix", "keys", "bytes", "types", "ttl none", "<1h", "<1d", "<7d", "longer");
            for (PrefixStats p : db.prefixes()) {
                StringBuilder types = new StringBuilder();
                p.types().forEach((type, n) -> types.append(types.isEmpty() ? "" : " ").append(type).append(' ').append(n));
                t.row(p.prefix(), p.keys(), Bytes.human(p.bytes()), types,
                        p.ttl().get("none"), p.ttl().get("lt_1h"), p.ttl().get("lt_1d"), p.ttl().get("lt_7d"),
                        p.ttl().get("longer"));
            }
            sb.append(t.render());
        }
        if (!biggest.isEmpty()) {
            sb.append("\nbiggest keys\n");
            Table t = new Table("db", "key", "type", "bytes", "ttl");
            for (BigKey k : biggest) {
                t.row(k.db(), KeyText.cutQuoted(k.key(), KeyText.WIDTH), k.type(), Bytes.human(k.bytes()),
                        k.ttlMs() < 0 ? "none" : io.cutover.core.time.Durations.format(Duration.ofMillis(k.ttlMs())));
            }
            sb.append(t.render());
        }
        sb.append('\n').append("total: ").append(keys()).append(" keys, ").append(Bytes.human(bytes())).append('\n');
        if (selected != null) {
            sb.append("selected: ").append(selected.rule()).append(" → ").append(selected.keys()).append(" keys, ")
                    .append(Bytes.human(selected.bytes())).append('\n');
        }
        return sb.toString();
    }
}
