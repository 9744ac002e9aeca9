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
import java.util.function.Supplier;

/** Parent source keys → target keys for one batch: from this run's cache first, the migration log for the rest. */
public final class RefResolver {
    private final StateStore state;
    private final RunCache cache;

    public RefResolver(StateStore state, RunCache cache) {
        this.state = state;
        this.cache = cache;
    }

    /**
     * The target keys of those of the {@code wanted} source keys that step {@code parent} has migrated. When this run's
     * cache holds every entry of {@code parent}, that map itself is the answer: the wanted keys are not even gathered,
     * and nothing is copied (callers only read it).
     */
    public Map<String, String> resolve(Connection target, String parent, Supplier<Set<String>> wantedKeys,
                                       boolean stateExists) throws SQLException {
        Map<String, String> whole = cache == null ? null : cache.whole(parent);
        if (whole != null) {
            return whole;
        }
        Set<String> wanted = wantedKeys.get();
        Map<String, String> cached = cache == null ? null : cache.map(parent);
        if (cached == null) {
            return stateExists ? state.log().lookup(target, parent, wanted) : Map.of();
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
        if (!missing.isEmpty() && stateExists) { // the cache is not complete (else it was the answer above)
            found.putAll(state.log().lookup(target, parent, missing));
        }
        return found;
    }

    /** Per ref of {@code step}, the parent keys that {@code rows} (COPY text: key, expressions, refs) use → their target keys. */
    public List<Map<String, String>> resolveAll(Connection target, CompiledStep step, List<CopyLine> rows) throws SQLException {
        List<Ref> refs = step.refs();
        List<Map<String, String>> maps = new ArrayList<>(refs.size());
        for (int r = 0; r < refs.size(); r++) {
            int field = 1 + step.expressions() + r;
            maps.add(resolve(target, refs.get(r).step(), () -> {
                Set<String> wanted = new HashSet<>();
                for (CopyLine l : rows) {
                    String v = l.text(field);
                    if (v != null) {
                        wanted.add(v);
                    }
                }
                return wanted;
            }, true));
        }
        return maps;
    }
}
