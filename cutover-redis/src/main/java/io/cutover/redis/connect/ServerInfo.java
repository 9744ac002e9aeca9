package io.cutover.redis.connect;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a Redis server is and can do, read from {@code INFO}: version and the features that differ across
 * 2.8 … 7.x, which decide the commands a copy may use.
 *
 * @param version      redis_version as reported
 * @param mode         redis_mode: standalone or cluster
 * @param keysPerDb    key counts from the keyspace section (databases with no keys are absent)
 */
public record ServerInfo(String version, String mode, Map<Integer, Long> keysPerDb) {

    /** Parses the text of {@code INFO} (all or some sections). */
    public static ServerInfo parse(String info) {
        String version = "0.0.0";
        String mode = "standalone";
        Map<Integer, Long> keys = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                version = line.substring("redis_version:".length()).trim();
            } else if (line.startsWith("redis_mode:")) {
                mode = line.substring("redis_mode:".length()).trim();
            } else if (line.startsWith("cluster_enabled:1")) {
                mode = "cluster";
            } else if (line.matches("db[0-9]+:keys=[0-9]+.*")) {
                int colon = line.indexOf(':');
                int db = Integer.parseInt(line.substring(2, colon));
                String rest = line.substring(colon + 1);
                long n = Long.parseLong(rest.substring(5, rest.indexOf(',') < 0 ? rest.length() : rest.indexOf(',')));
                keys.put(db, n);
            }
        }
        return new ServerInfo(version, mode, Map.copyOf(keys));
    }

    /** The databases a command works on: the one in {@code uri} when given, else every database holding keys. */
    public java.util.List<Integer> databasesInScope(RedisUri uri) {
        if (uri.db() >= 0) {
            return java.util.List.of(uri.db());
        }
        return java.util.List.copyOf(new java.util.TreeSet<>(keysPerDb.keySet()));
    }

    public int major() {
        return part(0);
    }

    public int minor() {
        return part(1);
    }

    private int part(int i) {
        String[] p = version.split("\\.");
        try {
            return i < p.length ? Integer.parseInt(p[i].replaceAll("[^0-9].*$", "")) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** True when this version is at least major.minor. */
    public boolean atLeast(int maj, int min) {
        return major() > maj || (major() == maj && minor() >= min);
    }

    /** UNLINK exists (4.0+); older servers use DEL. */
    public boolean hasUnlink() {
        return atLeast(4, 0);
    }

    /** MEMORY USAGE exists (4.0+); older servers are sized by DUMP length. */
    public boolean hasMemoryUsage() {
        return atLeast(4, 0);
    }

    /** RESTORE … REPLACE exists (3.0+); older servers need DEL first. */
    public boolean hasRestoreReplace() {
        return atLeast(3, 0);
    }

    /** Streams exist (5.0+). */
    public boolean hasStreams() {
        return atLeast(5, 0);
    }

    /** CLIENT PAUSE … WRITE exists (6.2+); older servers pause reads too. */
    public boolean hasWritePause() {
        return atLeast(6, 2);
    }

    /** Cluster mode (only db 0, keys routed by slot). */
    public boolean cluster() {
        return "cluster".equals(mode);
    }

    /**
     * The newest RDB format version this server can load in RESTORE (payload trailer's first two bytes).
     * Redis 2.6–3.0: 6, 3.2: 7, 4.0: 8, 5.0–6.2: 9, 7.0: 10, 7.2: 11, 7.4+: 12.
     */
    public int rdbVersion() {
        if (atLeast(7, 4)) {
            return 12;
        }
        if (atLeast(7, 2)) {
            return 11;
        }
        if (atLeast(7, 0)) {
            return 10;
        }
        if (atLeast(5, 0)) {
            return 9;
        }
        if (atLeast(4, 0)) {
            return 8;
        }
        if (atLeast(3, 2)) {
            return 7;
        }
        return 6;
    }

    /** The RDB version a DUMP payload carries (little-endian u16 before the 8-byte CRC64), or -1. */
    public static int payloadRdbVersion(byte[] payload) {
        if (payload == null || payload.length < 10) {
            return -1;
        }
        int at = payload.length - 10;
        return (payload[at] & 0xff) | ((payload[at + 1] & 0xff) << 8);
    }
}
