package io.cutover.redis.copy;

/**
 * A key that could not be copied.
 *
 * @param db     source database
 * @param key    key name (binary bytes shown as ISO-8859-1 escapes where not printable)
 * @param reason one line, e.g. "stream: the target (2.8.19) has no streams"
 */
public record KeyFailure(int db, String key, String reason) {
}
