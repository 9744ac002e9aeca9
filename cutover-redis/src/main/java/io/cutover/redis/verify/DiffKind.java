package io.cutover.redis.verify;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a key differs between source and target. */
public enum DiffKind {
    /** On the source, not on the target. */
    MISSING,
    /** On the target (within the selection), not on the source. */
    EXTRA,
    /** Different Redis types. */
    TYPE,
    /** Same type, different value. */
    VALUE,
    /** Expiry differs beyond the tolerance, or set on one side only. */
    TTL;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase();
    }
}
