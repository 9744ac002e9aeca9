package io.cutover.redis.verify;

import io.cutover.redis.keys.KeyText;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cutover.core.error.ExitCode;
import io.cutover.core.output.Table;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link RedisVerify#run()}.
 *
 * @param identical     no difference found
 * @param checked       source keys compared
 * @param targetChecked target keys looked at for the extra-key check
 * @param vanished      keys that expired or were deleted on the source while we looked (not differences)
 * @param uncompared    keys whose values could not be compared (a type with no canonical read, across versions)
 * @param valueMethod   {@code dump} (same RDB version; digest when payloads differ) or {@code digest}
 * @param sampled       true when only a random sample was checked
 * @param differences   count per kind (every kind present, 0 when none)
 * @param first         the first differences found, up to --max-diffs
 * @param elapsedMs     time taken
 */
@JsonPropertyOrder({"identical", "checked", "target_checked", "vanished", "uncompared", "value_method", "sampled",
        "differences", "first", "elapsed_ms"})
public record VerifyReport(boolean identical, long checked, @JsonProperty("target_checked") long targetChecked,
                           long vanished, long uncompared, @JsonProperty("value_method") String valueMethod,
                           boolean sampled, Map<DiffKind, Long> differences, List<Difference> first,
                           @JsonProperty("elapsed_ms") long elapsedMs) {

    /** All differences counted. */
    public long total() {
        return differences.values().stream().mapToLong(Long::longValue).sum();
    }

    /** 0 identical, 1 differences. */
    public ExitCode exitCode() {
        return identical ? ExitCode.OK : ExitCode.DIFFERENCES;
    }

    /** The human form. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(sampled ? "sample of " : "").append(checked).append(" source keys and ").append(targetChecked)
                .append(" target keys checked (values by ").append(valueMethod).append(")");
        if (vanished > 0) {
            sb.append(", ").append(vanished).append(" expired or deleted meanwhile");
        }
        if (uncompared > 0) {
            sb.append(", ").append(uncompared).append(" values not comparable across versions");
        }
        sb.append('\n');
        if (identical) {
            return sb.append("identical\n").toString();
        }
        StringBuilder counts = new StringBuilder();
        differences.forEach((k, n) -> {
            if (n > 0) {
                counts.append(counts.isEmpty() ? "" : ", ").append(k.jsonName()).append(' ').append(n);
            }
        });
        sb.append(total()).append(" differences: ").append(counts).append('\n');
        Table t = new Table("kind", "db", "key", "detail");
        for (Difference d : first) {
            String where = d.sourceDb() == d.targetDb() ? String.valueOf(d.sourceDb()) : d.sourceDb() + "→" + d.targetDb();
            String key = d.key().equals(d.targetKey()) ? KeyText.cutQuoted(d.key(), KeyText.WIDTH)
                    : KeyText.cutQuoted(d.key(), KeyText.WIDTH) + " → " + KeyText.cutQuoted(d.targetKey(), KeyText.WIDTH);
            t.row(d.kind().jsonName(), where, key, d.detail());
        }
        sb.append(t.render());
        if (first.size() < total()) {
            sb.append("(first ").append(first.size()).append(" of ").append(total()).append(")\n");
        }
        return sb.toString();
    }
}
