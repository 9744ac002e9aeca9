package io.cutover.sql.verify;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.sql.db.Database;
import io.cutover.sql.db.KeyList;
import io.cutover.sql.db.Values;
import io.cutover.sql.migrate.BatchPipeline;
import io.cutover.sql.migrate.CompiledStep;
import io.cutover.sql.migrate.CopyReader;
import io.cutover.sql.migrate.CopyThrough;
import io.cutover.sql.migrate.Migrator;
import io.cutover.sql.migrate.RowReader;
import io.cutover.sql.migrate.RunCache;
import io.cutover.sql.migrate.Shard;
import io.cutover.sql.migrate.SourceRow;
import io.cutover.sql.migrate.Subset;
import io.cutover.sql.migrate.TargetRow;
import io.cutover.sql.migrate.Translator;
import io.cutover.sql.plan.Window;
import io.cutover.sql.plan.Plan;
import io.cutover.sql.plan.Ref;
import io.cutover.sql.plan.Step;
import io.cutover.sql.plan.StepOrder;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recomputes each source row in scope with the migration's own expressions and ref translation and compares
 * it with the target row its log entry points at; then looks for target rows the log does not know (an
 * update inserted as a new row), refs pointing at nothing, and log entries whose source rows are gone. One of
 * several workers makes its {@link VerifyPart}: its shard of the rows, and the whole-table checks on worker 0.
 */
public final class Verifier {
    private static final int MAX_LISTED = 1000;
    private static final int CHUNK = 5000;
    private static final int WORKERS = 2;

    private final Plan plan;
    private final Database source;
    private final StateStore state;
    private final Map<String, CompiledStep> compiled;
    private final Progress progress;
    private final List<Mismatch> mismatches = new ArrayList<>();
    private final RunCache cache = new RunCache(Migrator.CACHE_LIMIT);
    /** At most this many log entries of a step are read up front for a full verify. */
    private static final long WHOLE_LOG_LIMIT = 1_000_000;
    private long mismatchCount;

    public Verifier(Plan plan, Database source, StateStore state, Map<String, CompiledStep> compiled, Progress progress) {
        this.plan = plan;
        this.source = source;
        this.state = state;
        this.compiled = compiled;
        this.progress = progress;
    }

    public VerifyReport verify(VerifyRequest req) {
        if (!state.exists()) {
            throw CutoverException.usage("nothing to verify: the target has no migration state yet (run migrate first)");
        }
        state.log().requireCurrentLog(compiled.keySet());
        state.log().refreshStatistics(compiled.keySet());
        Window window = req.since() == null && req.until() == null ? null : new Window(req.since(), req.until());
        StepOrder order = StepOrder.of(plan);
        List<CompiledStep> ordered = order.ordered().stream().map(s -> compiled.get(s.name())).toList();
        Subset subset = req.only().isEmpty() ? null : Subset.resolve(source, ordered, req.only());
        boolean full = window == null && subset == null && req.sample() <= 0;
        VerifyPart part = req.part();
        List<VerifyPart.WholeTableCheck> whole = part.wholeTableChecks(full);
        List<StepCheck> checks = new ArrayList<>();
        for (CompiledStep cs : ordered) {
            if (subset != null && !subset.includes(cs.name())) {
                continue;
            }
            if (!order.childrenOf(cs.name()).isEmpty()) {
                cache.open(cs.name(), false);
            }
            checks.add(verifyStep(cs, window, subset == null ? null : subset.keys(cs.name()), req.sample(), part.rows(), whole));
        }
        return new VerifyReport(checks, List.copyOf(mismatches), mismatchCount(), part.worker().index(), part.worker().total(),
                part.rowsCovered(), whole.stream().map(Object::toString).toList());
    }

    private synchronized void add(Mismatch m) {
        mismatchCount++;
        if (mismatches.size() < MAX_LISTED) {
            mismatches.add(m);
        }
    }

    /**
     * Compares the step's source rows in scope ({@code shard}'s only, when not null), then makes the whole-table checks
     * listed in {@code whole}.
     */
    private StepCheck verifyStep(CompiledStep cs, Window window, Set<String> keys, int sample, Shard shard,
                                 List<VerifyPart.WholeTableCheck> whole) {
        boolean full = window == null && keys == null && sample <= 0;
        long before = mismatchCount();
        RowReader reader = new RowReader(source, cs, CHUNK, shard);
        long every = sample > 0 ? Math.max(1, reader.count(window) / sample) : 1;
        Translator translator = new Translator(cs, state, cache);
        AtomicLong scanned = new AtomicLong();
        AtomicLong logged = new AtomicLong();
        AtomicLong compared = new AtomicLong();
        Database target = state.database();
        Map<String, String> wholeLog = null;
        if (keys == null && CopyThrough.of(cs, source, target) != null) {
            // read whole for one shard too: children translate refs to parents of every shard through it
            wholeLog = full ? wholeLog(cs) : null;
            if (wholeLog != null && cache.caching(cs.name())) {
                cache.install(cs.name(), wholeLog); // children translate refs through the log, as migrate does
            }
            CopyComparison fast = new CopyComparison(cs, state, cache, wholeLog);
            BatchPipeline.run("verifying step " + cs.name(), new CopyReader(source, cs, window, CHUNK, shard), target, WORKERS, (c, lines) -> {
                CopyComparison.Outcome o = fast.compare(c, sample(lines, scanned, every));
                cache.putAll(cs.name(), o.confirmed()); // nothing when the whole log is installed
                logged.addAndGet(o.confirmed().size());
                compared.addAndGet(o.confirmed().size());
                o.nullKeys().forEach(this::add);
                if (!o.handedBack().isEmpty()) {
                    // whatever the text comparison could not confirm is read again and decided the exact way
                    reader.read(window, new LinkedHashSet<>(o.handedBack()),
                            rows -> compareBatch(c, cs, translator, rows, logged, compared));
                }
                c.rollback();
                progress.add(lines.size());
            });
        } else if (keys == null || !keys.isEmpty()) {
            BatchPipeline.run("verifying step " + cs.name(), reader, window, keys, target, WORKERS, (c, batch) -> {
                compareBatch(c, cs, translator, sample(batch, scanned, every), logged, compared);
                c.rollback();
                progress.add(batch.size());
            });
        }
        try (Connection c = target.connection()) {
            long unknown = whole.contains(VerifyPart.WholeTableCheck.UNKNOWN_TARGET_ROWS) ? unknownTargetRows(c, cs) : 0;
            long broken = whole.contains(VerifyPart.WholeTableCheck.BROKEN_REFS) ? brokenRefs(c, cs) : 0;
            if (whole.contains(VerifyPart.WholeTableCheck.GONE_SOURCE_ROWS)) {
                long logCount = wholeLog != null ? wholeLog.size() : state.log().logCount(c, cs.name());
                // a shard's own count covers only its rows: the log is compared with the source rows of every shard
                long known = shard == null ? logged.get() : loggedSourceRows(c, cs, wholeLog);
                if (logCount != known) {
                    add(new Mismatch(cs.name(), "*", "(log)", known + " entries for existing source rows",
                            logCount + " entries (" + (logCount - known) + " for source rows that are gone)"));
                }
            }
            return new StepCheck(cs.name(), scanned.get(), logged.get(), compared.get(), mismatchCount() - before, unknown, broken);
        } catch (SQLException e) {
            throw target.failure("verifying step " + cs.name(), e);
        }
    }

    /**
     * The step's whole migration log (a PostgreSQL → PostgreSQL step), when it fits comfortably in the heap (about 140
     * bytes an entry as text, 32 when both keys are integers, beside the parents' logs the cache holds); null when it
     * doesn't, and batches then look their keys up in the log.
     */
    private Map<String, String> wholeLog(CompiledStep cs) {
        try (Connection c = state.database().connection()) {
            long entries = state.log().logCount(c, cs.name());
            if (entries > Math.min(WHOLE_LOG_LIMIT, Runtime.getRuntime().maxMemory() / 1024)) {
                return null;
            }
            return state.log().readLog(c, cs.name(), (int) entries);
        } catch (SQLException e) {
            throw state.database().failure("reading the migration log of step " + cs.name(), e);
        }
    }

    /**
     * How many of the step's source rows, in every shard, the log knows: what one worker counts as logged while it
     * compares them all. Reads only the source keys, and looks them up in {@code wholeLog} when it was read, else in
     * the log.
     */
    private long loggedSourceRows(Connection c, CompiledStep cs, Map<String, String> wholeLog) {
        AtomicLong known = new AtomicLong();
        new RowReader(source, cs, CHUNK).readKeys(keys -> {
            if (wholeLog != null) {
                keys.forEach(k -> known.addAndGet(wholeLog.containsKey(k) ? 1 : 0));
                return;
            }
            try {
                known.addAndGet(state.log().lookup(c, cs.name(), keys).size());
            } catch (SQLException e) {
                throw state.database().failure("looking up the source keys of step " + cs.name() + " in its migration log", e);
            }
        });
        return known.get();
    }

    /** Every {@code every}-th row of the step's rows so far; {@code scanned} counts the rows read. */
    private static <T> List<T> sample(List<T> batch, AtomicLong scanned, long every) {
        List<T> picked = new ArrayList<>(batch.size());
        long at = scanned.getAndAdd(batch.size());
        for (T row : batch) {
            if (at++ % every == 0) {
                picked.add(row);
            }
        }
        return picked;
    }

    private synchronized long mismatchCount() {
        return mismatchCount;
    }

    private void compareBatch(Connection c, CompiledStep cs, Translator translator, List<SourceRow> rows, AtomicLong logged,
                              AtomicLong compared) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Translator.Translation t = translator.translate(c, rows, 0, true);
        List<String> keys = rows.stream().map(SourceRow::key).filter(k -> k != null).toList();
        Map<String, String> known = state.log().lookup(c, cs.name(), keys);
        cache.putAll(cs.name(), known);
        logged.addAndGet(known.size());
        for (RowError e : t.errors()) {
            add(new Mismatch(cs.name(), e.sourceKey(), "(row)", "migrated", "not migrated: " + e.message()));
        }
        Map<String, Object[]> actual = fetch(c, cs, known.values());
        List<String> cols = cs.targetColumns();
        for (TargetRow r : t.rows()) {
            String tk = known.get(r.key());
            if (tk == null) {
                add(new Mismatch(cs.name(), r.key(), "(row)", "migrated", "not in the migration log"));
                continue;
            }
            Object[] got = actual.get(tk);
            if (got == null) {
                add(new Mismatch(cs.name(), r.key(), "(row)", cs.step().into() + " row " + tk, "missing from the target"));
                continue;
            }
            compared.incrementAndGet();
            for (int i = 0; i < cols.size(); i++) {
                Object e = r.values()[i];
                if (e != null && got[i] != null && e.getClass() == got[i].getClass() && !(e instanceof byte[]) && e.equals(got[i])) {
                    continue; // equal as read: no need for the text forms (most values, most of verify's time)
                }
                String expected = Values.canonical(e);
                String found = Values.canonical(got[i]);
                if (!Values.same(expected, found, cs.targetColumn(i))) {
                    add(new Mismatch(cs.name(), r.key(), cols.get(i), expected, found));
                }
            }
        }
    }

    private Map<String, Object[]> fetch(Connection c, CompiledStep cs, java.util.Collection<String> targetKeys) throws SQLException {
        Map<String, Object[]> out = new HashMap<>(targetKeys.size() * 2);
        List<String> all = new ArrayList<>(targetKeys);
        List<String> cols = cs.targetColumns();
        Step s = cs.step();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> part = all.subList(from, Math.min(all.size(), from + CHUNK));
            KeyList in = KeyList.of(state.database().dialect(), part.size(), CHUNK);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + cs.targetKeyExpr("") + ", " + String.join(", ", cols)
                    + " FROM " + s.into() + " WHERE " + in.condition(cs.targetKeyExpr("")))) {
                in.bind(c, ps, 1, part, cs.targetKeyType());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] v = new Object[cols.size()];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = cs.targetColumn(i).read(rs, i + 2); // as the source is read
                        }
                        out.put(Values.key(rs.getObject(1)), v);
                    }
                }
            }
        }
        return out;
    }

    /** Target rows of the step's table that no log entry points at (listing up to 20 of them). */
    private long unknownTargetRows(Connection c, CompiledStep cs) throws SQLException {
        Step s = cs.step();
        String where = " FROM " + s.into() + " t WHERE NOT " + state.log().knowsTarget(cs.name(), cs.targetKeyExpr("t."));
        long n;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + where)) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                n = rs.getLong(1);
            }
        }
        if (n > 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + cs.targetKeyExpr("t.") + where + " ORDER BY 1")) {
                ps.setMaxRows(20);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        add(new Mismatch(cs.name(), "target:" + Values.key(rs.getObject(1)), "(row)",
                                "a row the migration log knows", "a target row no source row maps to"));
                    }
                }
            }
            if (n > 20) {
                synchronized (this) {
                    mismatchCount += n - 20;
                }
            }
        }
        return n;
    }

    /** Ref columns pointing at no row of the parent step's target table. */
    private long brokenRefs(Connection c, CompiledStep cs) throws SQLException {
        long total = 0;
        int r = 0;
        for (Ref ref : cs.refs()) {
            int[] into = cs.refTargets(r++);
            String col = cs.targetColumns().get(into[0]);
            Step parent = plan.step(ref.step()).orElseThrow();
            List<String> same = new ArrayList<>();
            for (int k = 0; k < into.length && k < parent.targetKeyColumns().size(); k++) {
                same.add("p." + parent.targetKeyColumns().get(k) + " = c." + cs.targetColumns().get(into[k]));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + cs.step().into() + " c WHERE c." + col
                    + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + parent.into() + " p WHERE " + String.join(" AND ", same) + ")");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                if (n > 0) {
                    add(new Mismatch(cs.name(), "*", col, "every " + col + " points at a " + parent.into() + " row",
                            n + " rows point at nothing"));
                }
                total += n;
            }
        }
        return total;
    }
}
