package io.cutover.redis.inventory;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One of the biggest keys.
 *
 * @param db     database
 * @param key    key name (printable form)
 * @param type   Redis type
 * @param bytes  size
 * @param ttlMs  remaining time to live in milliseconds, -1 for none
 */
public record BigKey(int db, @JsonIgnore String key, String type, long bytes, @JsonProperty("ttl_ms") long ttlMs) {
    /** The exact key(s) in JSON: {@code key} as text when it is valid UTF-8, else {@code key_base64}. */
    @JsonAnyGetter
    public java.util.Map<String, Object> exactKeys() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        io.cutover.redis.keys.KeyText.putJsonQuoted(m, "key", key);
        return m;
    }
}
