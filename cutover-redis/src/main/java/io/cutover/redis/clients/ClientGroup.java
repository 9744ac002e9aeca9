package io.cutover.redis.clients;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Clients sharing host, name and database.
 *
 * @param host           peer host
 * @param name           client name (empty when unset)
 * @param db             selected database
 * @param count          connections
 * @param minIdleSeconds the most recently active connection's idle time
 * @param maxAgeSeconds  the oldest connection's age
 */
public record ClientGroup(String host, String name, int db, int count,
                          @JsonProperty("min_idle_seconds") long minIdleSeconds,
                          @JsonProperty("max_age_seconds") long maxAgeSeconds) {
}
