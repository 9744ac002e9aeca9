package io.cutover.redis.clients;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a drain watch ended.
 *
 * @param drained   true when no other client remained before the timeout
 * @param waitedMs  time waited
 * @param remaining the clients still connected at the end (empty when drained)
 */
public record DrainResult(boolean drained, @JsonProperty("waited_ms") long waitedMs, ClientList remaining) {
}
