package io.cutover.sql.migrate;

import io.cutover.core.error.CutoverException;
import io.cutover.sql.db.Database;
import io.cutover.sql.db.Sql;
import io.cutover.sql.db.Values;
import io.cutover.sql.plan.Ref;
import io.cutover.sql.plan.Step;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of a {@code --only users=1,2,3} run: the named keys, and following refs, the keys of child rows that
 * point at them (transitively), found in the source whatever their time. Steps reached by neither are skipped.
 */
public final class Subset {
    private final Map<String, Set<String>> keys;

    private Subset(Map<String, Set<String>> keys) {
        this.keys = keys;
    }

    /** Parses {@code STEP=K1,K2} arguments (several may be given). */
    public static Map<String, Set<String>> parse(List<String> args) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (args == null) {
            return out;
        }
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0 || eq == a.length() - 1) {
                throw CutoverException.usage("--only: expected STEP=KEY1,KEY2…, got '" + a + "'");
            }
            Set<String> ks = out.computeIfAbsent(a.substring(0, eq).trim(), k -> new LinkedHashSet<>());
            for (String k : a.substring(eq + 1).split(",")) {
                if (!k.isBlank()) {
                    ks.add(k.trim());
                }
            }
        }
        return out;
    }

    /** Resolves the subset over {@code ordered} steps (parents first). */
    public static Subset resolve(Database source, List<CompiledStep> ordered, Map<String, Set<String>> only) {
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        for (CompiledStep cs : ordered) {
            Step s = cs.step();
            Set<String> mine = new LinkedHashSet<>(only.getOrDefault(s.name(), Set.of()));
            boolean reached = only.containsKey(s.name());
            if (reached) {
                requireKnown(source, cs, mine);
            }
            for (Ref r : s.refs().values()) {
                Set<String> parent = keys.get(r.step());
                if (parent == null) {
                    continue;
                }
                reached = true;
                mine.addAll(keysWhere(source, cs, cs.refSourceExpr(cs.refs().indexOf(r)), parent));
            }
            if (reached) {
                keys.put(s.name(), mine);
            }
        }
        return new Subset(keys);
    }

    /**
     * Fails with a usage error (nothing written) when a key named for {@code cs} is not of its key's type or has no
     * source row: a typo would otherwise make a rehearsal that silently migrates nothing.
     */
    private static void requireKnown(Database source, CompiledStep cs, Set<String> named) {
        String what = "--only " + cs.name() + "=";
        for (String k : named) {
            try {
                Values.toType(k, cs.sourceKeyType());
            } catch (RuntimeException e) {
                throw CutoverException.usage(what + k + ": the key of step '" + cs.name() + "' (" + cs.step().key()
                        + ") is a number, not '" + k + "'");
            }
        }
        Set<String> found = keysWhere(source, cs, cs.sourceKeyExpr(), named);
        List<String> missing = named.stream().filter(k -> !found.contains(Values.key(Values.toType(k, cs.sourceKeyType())))).toList();
        if (!missing.isEmpty()) {
            throw CutoverException.usage(what + String.join(",", named) + ": no source row of step '" + cs.name() + "' has key "
                    + String.join(", ", missing.stream().limit(5).toList()) + (missing.size() > 5 ? " (and " + (missing.size() - 5)
                    + " more)" : ""));
        }
    }

    /** The keys of the step's source rows whose {@code column} (an expression over alias s) is one of {@code values}. */
    private static Set<String> keysWhere(Database source, CompiledStep cs, String column, Set<String> values) {
        Set<String> out = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(values);
        try (Connection c = source.connection()) {
            int refType;
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + column + " FROM "
                    + cs.step().relation() + " s WHERE 1=0")) {
                refType = rs.getMetaData().getColumnType(1);
            }
            for (int i = 0; i < all.size(); i += 1000) {
                List<String> part = all.subList(i, Math.min(all.size(), i + 1000));
                try (PreparedStatement ps = c.prepareStatement("SELECT " + cs.sourceKeyExpr() + " FROM " + cs.step().relation()
                        + " s WHERE " + column + " IN (" + Sql.marks(part.size()) + ")")) {
                    for (int p = 0; p < part.size(); p++) {
                        Values.bind(ps, p + 1, part.get(p), refType);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(Values.key(rs.getObject(1)));
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw CutoverException.runtime("source database: finding the --only rows of step " + cs.name() + ": "
                    + e.getMessage(), e);
        }
        return out;
    }

    /** Whether the step takes part in the run. */
    public boolean includes(String step) {
        return keys.containsKey(step);
    }

    /** The step's keys in the subset. */
    public Set<String> keys(String step) {
        return keys.get(step);
    }

    /** Per step, how many keys are in the subset. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        keys.forEach((k, v) -> m.put(k, v.size()));
        return m;
    }
}
