package io.cutover.redis.prune;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cutover.core.output.Table;

import java.util.List;

/**
 * What a prune did (or, with dry run, would do).
 *
 * @param rule      the rule in words
 * @param dryRun    true when nothing was deleted
 * @param command   UNLINK (4.0+) or DEL
 * @param databases per database
 * @param elapsedMs time taken
 */
@JsonPropertyOrder({"rule", "dry_run", "command", "deleted", "kept", "databases", "elapsed_ms"})
public record PruneReport(String rule, @JsonProperty("dry_run") boolean dryRun, String command,
                          List<DbPrune> databases, @JsonProperty("elapsed_ms") long elapsedMs) {

    /** One database: totals and counts per prefix. */
    public record DbPrune(int db, long deleted, long kept, List<PrefixCount> prefixes) {
    }

    /** Keys deleted and kept under one prefix. */
    public record PrefixCount(String prefix, long deleted, long kept) {
    }

    @JsonProperty("deleted")
    public long deleted() {
        return databases.stream().mapToLong(DbPrune::deleted).sum();
    }

    @JsonProperty("kept")
    public long kept() {
        return databases.stream().mapToLong(DbPrune::kept).sum();
    }

    /** The human table form. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "dry run (nothing deleted): " : "pruned: ").append(rule).append('\n');
        for (DbPrune db : databases) {
            sb.append('\n').append("db ").append(db.db()).append(": ")
                    .append(dryRun ? "would delete " : "deleted ").append(db.deleted()).append(", kept ").append(db.kept()).append('\n');
            Table t = new Table("prefix", dryRun ? "would delete" : "deleted", "kept");
            for (PrefixCount p : db.prefixes()) {
                t.row(p.prefix(), p.deleted(), p.kept());
            }
            sb.append(t.render());
        }
        sb.append('\n').append("total: ").append(dryRun ? "would delete " : "deleted ").append(deleted())
                .append(" keys").append(dryRun ? "" : " with " + command).append(", kept ").append(kept())
                .append(" in ").append(elapsedMs).append(" ms\n");
        return sb.toString();
    }
}
