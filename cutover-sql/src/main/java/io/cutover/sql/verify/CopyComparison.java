package io.cutover.sql.verify;

import io.cutover.sql.db.CopyLine;
import io.cutover.sql.migrate.CompiledStep;
import io.cutover.sql.migrate.RefResolver;
import io.cutover.sql.migrate.RunCache;
import io.cutover.sql.migrate.Translator;
import io.cutover.sql.state.StateStore;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verify's fast path for PostgreSQL → PostgreSQL steps that migrate as COPY text: a batch of source rows as
 * {@code COPY} text (key, expressions, refs) is compared field by field with the target rows read the same way,
 * refs translated through the log. It only ever confirms a row: one whose text differs in any way, or that is
 * missing from the log or the target, or whose ref has no migrated parent, is handed back by key for the exact
 * comparison, which decides and reports it. Equal text means an equal value here, because the step's source
 * and target columns are of one type family ({@code CopyThrough}). The one thing it reports itself is a source row
 * whose key is NULL (it cannot be read again by key), in the words the exact comparison uses.
 */
final class CopyComparison {
    /** The rows confirmed (source key → target key), the keys left to the exact path, and rows whose key is NULL. */
    record Outcome(Map<String, String> confirmed, List<String> handedBack, List<Mismatch> nullKeys) {
    }

    private final CompiledStep step;
    private final StateStore state;
    private final RefResolver resolver;
    private final String select;
    private final Map<String, String> log;

    /** @param log the step's whole migration log when it was read up front (a full verify), else null */
    CopyComparison(CompiledStep step, StateStore state, RunCache cache, Map<String, String> log) {
        this.step = step;
        this.state = state;
        this.log = log;
        this.resolver = new RefResolver(state, cache);
        this.select = "SELECT " + step.step().targetKey() + ", " + String.join(", ", step.targetColumns())
                + " FROM " + step.step().into() + " WHERE ";
    }

    Outcome compare(Connection c, List<byte[]> lines) throws SQLException {
        int width = 1 + step.targetColumns().size();
        List<CopyLine> rows = new ArrayList<>(lines.size());
        List<String> keys = new ArrayList<>(lines.size());
        List<Mismatch> nullKeys = new ArrayList<>();
        for (byte[] line : lines) {
            CopyLine l = CopyLine.split(line, width);
            String key = l.text(0);
            if (key == null) {
                nullKeys.add(new Mismatch(step.name(), null, "(row)", "migrated",
                        "not migrated: " + Translator.nullKey(step)));
            } else {
                rows.add(l);
                keys.add(key);
            }
        }
        Map<String, String> known = log != null ? log : state.log().lookup(c, step.name(), keys);
        List<Map<String, String>> refs = resolver.resolveAll(c, step, rows);
        Map<String, CopyLine> actual = fetch(c, log == null ? known.values() : targetsOf(keys));
        List<String> handedBack = new ArrayList<>();
        Map<String, String> confirmed = new HashMap<>(rows.size() * 2);
        for (int i = 0; i < rows.size(); i++) {
            String target = known.get(keys.get(i));
            CopyLine got = target == null ? null : actual.get(target);
            if (got != null && same(rows.get(i), got, refs)) {
                confirmed.put(keys.get(i), target);
            } else {
                handedBack.add(keys.get(i));
            }
        }
        return new Outcome(confirmed, handedBack, nullKeys);
    }

    /** The target keys the log read up front has for {@code keys}. */
    private List<String> targetsOf(List<String> keys) {
        List<String> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            String t = log.get(k);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The target rows with these keys (and maybe a few others in their range: harmless, rows are only looked up by
     * key), by key text; keys that are not plain integers are simply not fetched.
     */
    private Map<String, CopyLine> fetch(Connection c, Collection<String> targetKeys) throws SQLException {
        Map<String, CopyLine> out = new HashMap<>(targetKeys.size() * 2);
        List<String> wanted = new ArrayList<>(targetKeys.size());
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (String k : targetKeys) {
            if (isInteger(k)) { // the keys come from a sequence; anything else goes the exact way
                wanted.add(k);
                long v = Long.parseLong(k);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (wanted.isEmpty()) {
            return out;
        }
        String key = step.step().targetKey();
        String where;
        if (max - min < 2L * wanted.size()) {
            // keys reserved together lie close together: one range read (the few other rows in it go unused)
            where = key + " BETWEEN " + min + " AND " + max;
        } else {
            // a literal array of thousands of keys makes the planner scan the whole table; the index is far cheaper
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL enable_seqscan = off");
            }
            where = key + " = ANY('{" + String.join(",", wanted) + "}'::int8[])";
        }
        CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + where + ") TO STDOUT");
        int width = 1 + step.targetColumns().size();
        byte[] line;
        while ((line = copy.readFromCopy()) != null) {
            CopyLine l = CopyLine.split(line, width);
            out.put(l.text(0), l);
        }
        return out;
    }

    /** Whether the target row holds exactly the source row's expression text and translated refs. */
    private boolean same(CopyLine source, CopyLine target, List<Map<String, String>> refs) {
        int exprs = step.expressions();
        for (int f = 1; f <= exprs; f++) {
            if (!Arrays.equals(source.bytes(), source.start(f), source.end(f), target.bytes(), target.start(f), target.end(f))) {
                return false;
            }
        }
        for (int r = 0; r < refs.size(); r++) {
            int f = 1 + exprs + r;
            String parent = source.text(f);
            String expected = parent == null ? null : refs.get(r).get(parent);
            if (parent != null && expected == null) {
                return false; // no migrated parent: the exact path reports it
            }
            String got = target.text(f);
            if (expected == null ? got != null : !expected.equals(got)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInteger(String k) {
        int from = k.startsWith("-") ? 1 : 0;
        if (k.length() <= from || k.length() - from > 18) {
            return false;
        }
        for (int i = from; i < k.length(); i++) {
            if (k.charAt(i) < '0' || k.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
