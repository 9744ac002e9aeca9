package io.cutover.sql.migrate;

import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Parent source keys → target keys for one batch: from this run's cache first, the migration log for the rest. */
final class RefResolver {
    private final StateStore state;
    private final RunCache cache;

    RefResolver(StateStore state, RunCache cache) {
        this.state = state;
        this.cache = cache;
    }

    /** The target keys of those of {@code wanted} that step {@code parent} has migrated. */
    Map<String, String> resolve(Connection target, String parent, Set<String> wanted, boolean stateExists) throws SQLException {
        Map<String, String> cached = cache == null ? null : cache.map(parent);
        if (cached == null) {
            return stateExists ? state.lookup(target, parent, wanted) : Map.of();
        }
        Map<String, String> found = new HashMap<>(wanted.size() * 2);
        Set<String> missing = new HashSet<>();
        for (String k : wanted) {
            String v = cached.get(k);
            if (v != null) {
                found.put(k, v);
            } else {
                missing.add(k);
            }
        }
        if (!missing.isEmpty() && stateExists && !cache.complete(parent)) {
            found.putAll(state.lookup(target, parent, missing));
        }
        return found;
    }
}
