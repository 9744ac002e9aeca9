package io.cutover.redis.inventory;

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
public record BigKey(int db, String key, String type, long bytes, @JsonProperty("ttl_ms") long ttlMs) {
}
