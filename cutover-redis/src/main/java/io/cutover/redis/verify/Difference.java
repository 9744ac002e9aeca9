package io.cutover.redis.verify;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
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
public record Difference(DiffKind kind, @JsonProperty("source_db") int sourceDb, @JsonIgnore String key,
                         @JsonProperty("target_db") int targetDb, @JsonIgnore String targetKey,
                         String detail) {
    /** The exact key(s) in JSON: {@code key} as text when it is valid UTF-8, else {@code key_base64}. */
    @JsonAnyGetter
    public java.util.Map<String, Object> exactKeys() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        io.cutover.redis.keys.KeyText.putJsonQuoted(m, "key", key);
        io.cutover.redis.keys.KeyText.putJsonQuoted(m, "target_key", targetKey);
        return m;
    }
}
