package io.cutover.redis.live;

import io.cutover.redis.connect.RedisEndpoint;

import java.util.List;

/** Which databases a live copy follows: the same rule as {@code cutover redis copy}, plus db 0 of an empty source. */
final class LiveScope {
    private LiveScope() {
    }

    /**
     * The source database in the URI, else every database INFO keyspace lists (database 0 when the source is empty,
     * so writes to it are still followed).
     */
    static List<Integer> databases(RedisEndpoint source) {
        List<Integer> dbs = source.databasesInScope();
        return dbs.isEmpty() ? List.of(0) : dbs;
    }
}
