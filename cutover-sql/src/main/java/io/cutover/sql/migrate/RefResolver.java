package io.cutover.sql.migrate;

import io.cutover.sql.db.CopyLine;
import io.cutover.sql.plan.Ref;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parent source keys → target keys for one batch: from this run's cache first, the migration log for the rest. */
public final class RefResolver {
    private final StateStore state;
    private final RunCache cache;

    public RefResolver(StateStore state, RunCache cache) {
        this.state = state;
        this.cache = cache;
    }

    /** The target keys of those of {@code wanted} that step {@code parent} has migrated. */
    public Map<String, String> resolve(Connection target, String parent, Set<String> wanted, boolean stateExists) throws SQLException {
        Map<String, String> whole = whole(parent);
        if (whole != null) {
            return whole;
        }
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

    /**
     * All of {@code parent}'s entries when this run's cache holds every one of them, else null: callers then need not
     * gather the keys a batch wants, and nothing is copied (the map is only read).
     */
    public Map<String, String> whole(String parent) {
        return cache == null ? null : cache.whole(parent);
    }

    /** Per ref of {@code step}, the parent keys that {@code rows} (COPY text: key, expressions, refs) use → their target keys. */
    public List<Map<String, String>> resolveAll(Connection target, CompiledStep step, List<CopyLine> rows) throws SQLException {
        List<Ref> refs = step.refs();
        List<Map<String, String>> maps = new ArrayList<>(refs.size());
        for (int r = 0; r < refs.size(); r++) {
            Map<String, String> whole = whole(refs.get(r).step());
            if (whole != null) {
                maps.add(whole);
                continue;
            }
            int field = 1 + step.expressions() + r;
            Set<String> wanted = new HashSet<>();
            for (CopyLine l : rows) {
                String v = l.text(field);
                if (v != null) {
                    wanted.add(v);
                }
            }
            maps.add(resolve(target, refs.get(r).step(), wanted, true));
        }
        return maps;
    }
}
