package io.cutover.redis.live;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.select.DbMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Which databases a live copy follows and where each goes: the same rules as {@code cutover redis copy}. */
final class LiveScope {
    private LiveScope() {
    }

    /**
     * The source database in the URI, else every database INFO keyspace lists (database 0 when the source is empty,
     * so writes to it are still followed).
     */
    static List<Integer> databases(RedisEndpoint source) {
        if (source.uri().db() >= 0) {
            return List.of(source.uri().db());
        }
        List<Integer> dbs = List.copyOf(new TreeMap<>(source.refreshInfo().keysPerDb()).keySet());
        return dbs.isEmpty() ? List.of(0) : dbs;
    }

    /** Explicit --db-map rules, else the target URI's database for a single source database, else the same number. */
    static DbMapping mapping(DbMapping given, List<Integer> dbs, RedisEndpoint target) {
        List<DbMapping.Rule> rules = new ArrayList<>();
        int targetDb = target.uri().db();
        for (int db : dbs) {
            Optional<DbMapping.Rule> rule = given.rule(db);
            if (rule.isPresent()) {
                rules.add(rule.get());
            } else if (targetDb >= 0) {
                if (dbs.size() > 1) {
                    throw CutoverException.usage("--target names database " + targetDb + " but the source has databases "
                            + dbs + ": say where each goes with --db-map SRC:DST");
                }
                rules.add(new DbMapping.Rule(db, targetDb, ""));
            } else {
                rules.add(new DbMapping.Rule(db, db, ""));
            }
        }
        return DbMapping.of(rules);
    }
}
