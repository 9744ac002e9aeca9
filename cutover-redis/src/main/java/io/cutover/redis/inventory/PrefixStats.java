package io.cutover.redis.inventory;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/**
 * Keys sharing a prefix in one database.
 *
 * @param prefix key prefix ({@code session:}), or {@code (no prefix)} / {@code (other prefixes)}
 * @param keys   number of keys
 * @param bytes  their size (MEMORY USAGE, or DUMP length on servers without it)
 * @param types  key count per Redis type
 * @param ttl    key count per TTL bucket: none, lt_1h, lt_1d, lt_7d, longer
 */
@JsonPropertyOrder({"prefix", "keys", "bytes", "types", "ttl"})
public record PrefixStats(String prefix, long keys, long bytes, Map<String, Long> types, Map<String, Long> ttl) {
}
