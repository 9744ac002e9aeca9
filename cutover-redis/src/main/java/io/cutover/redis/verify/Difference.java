package io.cutover.redis.verify;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One key that differs.
 *
 * @param kind      what differs
 * @param sourceDb  source database (for extra keys: the db the key would come from)
 * @param key       source key name (printable)
 * @param targetDb  target database
 * @param targetKey target key name (printable; differs from key with a --db-map prefix)
 * @param detail    a short explanation ("hash on source, string on target")
 */
public record Difference(DiffKind kind, @JsonProperty("source_db") int sourceDb, String key,
                         @JsonProperty("target_db") int targetDb, @JsonProperty("target_key") String targetKey,
                         String detail) {
}
