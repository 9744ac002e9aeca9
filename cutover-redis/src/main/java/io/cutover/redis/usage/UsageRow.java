package io.cutover.redis.usage;

import java.time.Instant;

/**
 * What one client did under one key prefix of one database during the sample.
 *
 * @param client   the client's name (CLIENT SETNAME), or null when it has none
 * @param library  the client library and version (CLIENT LIST's lib-name/lib-ver, 7.2+), or null when not given
 * @param address  the client's address as the server sees it ({@code ip:port}; {@code lua} for a script whose
 *                 caller was not seen)
 * @param db       the database
 * @param prefix   the key prefix; null when the source cannot tell (CLIENT LIST fallback)
 * @param reads    commands that read a key under the prefix; null when the source cannot tell
 * @param writes   commands that wrote a key under the prefix; null when the source cannot tell
 * @param lastSeen the client's last command under the prefix (with MONITOR), or its last command at all
 */
public record UsageRow(String client, String library, String address, int db, KeyPrefix prefix, Long reads,
                       Long writes, Instant lastSeen) {
}
