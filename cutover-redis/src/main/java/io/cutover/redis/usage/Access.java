package io.cutover.redis.usage;

/** What a command does to a key: reads it, or changes it (a pop, an expire and a delete change it too). */
public enum Access {
    READ, WRITE
}
