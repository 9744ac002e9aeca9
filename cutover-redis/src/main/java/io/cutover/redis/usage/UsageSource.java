package io.cutover.redis.usage;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a usage report comes from. */
public enum UsageSource {
    /** Every command seen with MONITOR: counts per client, database and key prefix. */
    MONITOR("monitor"),
    /** MONITOR refused: who is connected (CLIENT LIST) and server-wide counters (INFO), no per-key view. */
    CLIENT_LIST("client_list");

    private final String json;

    UsageSource(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
