package io.cutover.redis.copy;

/** How values travel from source to target. */
public enum CopyMode {
    /** DUMP/RESTORE when the target loads the source's DUMP format, type-native otherwise (e.g. 7.x → 6.2). */
    AUTO,
    /** Always DUMP/RESTORE; refused up front when the target cannot load the source's format. */
    DUMP,
    /** Always type-native reads and writes (GET/HSCAN/SSCAN/ZSCAN/LRANGE/XRANGE → SET/HSET/SADD/ZADD/RPUSH/XADD). */
    STRUCT
}
