package io.cutover.redis.live;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.Replies;
import io.cutover.redis.copy.BatchResult;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.KeyBatchCopier;
import io.cutover.redis.select.DbMapping;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Brings changed keys over with the copy's {@link KeyBatchCopier}: a key still on the source is copied again
 * (replacing the target's), a key gone from the source is deleted on the target. Also finds the keys a rescan must
 * bring over. One per drain worker: it owns its connections.
 */
final class ChangeCopier implements AutoCloseable {
    private static final int SCAN_COUNT = 1000;

    /** A batch's outcome: the copier's result for keys present on the source, and the target keys deleted. */
    record Outcome(BatchResult result, long deleted) {
    }

    static final Outcome NOTHING = new Outcome(new BatchResult(0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of()), 0);

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final CopyOptions options;
    private final DbMapping mapping;
    private final Set<Integer> dbs;
    private final KeyBatchCopier copier;
    private final Map<Integer, KeyedConnection> sourcePipes = new HashMap<>();

    ChangeCopier(RedisEndpoint source, RedisEndpoint target, CopyOptions options, DbMapping mapping, List<Integer> dbs) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.mapping = mapping;
        this.dbs = new HashSet<>(dbs);
        this.copier = new KeyBatchCopier(source, target, options);
    }

    /**
     * Copies the changed keys of {@code db} again and deletes the target copies of those whose latest event removed
     * them, or that are missing on the source when read (deleted or expired since their last event: an expiry while
     * the source's writes are paused sends no event until the pause ends, and the switch verifies during it). A key
     * re-created afterwards brings a new event and is copied; a key's changes are applied in order (one worker each).
     */
    Outcome apply(int db, List<ChangedKeys.Change> changes) {
        List<byte[]> copy = new ArrayList<>(changes.size());
        List<byte[]> gone = new ArrayList<>();
        for (ChangedKeys.Change c : changes) {
            (c.gone() ? gone : copy).add(c.key());
        }
        BatchResult r = copy.isEmpty() ? NOTHING.result : copier.copy(db, copy);
        if (r.expired() > 0 && !options.dryRun()) {
            boolean[] present = exists(db, copy);
            for (int i = 0; i < present.length; i++) {
                if (!present[i]) {
                    gone.add(copy.get(i));
                }
            }
        }
        long deleted = gone.isEmpty() ? 0 : copier.delete(db, gone);
        return new Outcome(r, deleted);
    }

    /** Where a rescan sends the keys it finds (present on the source, or gone from it). */
    @FunctionalInterface
    interface KeySink {
        void accept(int db, byte[] key, boolean gone) throws InterruptedException;
    }

    /**
     * Sends every selected key of source database {@code db} to {@code sink} to be copied again, then every target
     * key whose source key is gone, to be deleted (when the target database receives only this source database;
     * with merged databases that is ambiguous and skipped). Returns the number of keys sent.
     */
    long rescan(int db, KeySink sink, Consumer<String> note) throws InterruptedException {
        long sent = 0;
        for (RedisEndpoint node : source.nodes()) { // a cluster: every primary
            try (StatefulRedisConnection<byte[], byte[]> c = node.connect(db)) {
                for (List<byte[]> page : scan(c, options.selection().scanMatch().orElse(null))) {
                    for (byte[] k : page) {
                        if (options.selection().matches(k)) {
                            sink.accept(db, k, false);
                            sent++;
                        }
                    }
                }
            } catch (CutoverException e) {
                throw e;
            } catch (RuntimeException e) {
                throw node.failure(e);
            }
        }
        int targetDb = mapping.targetDb(db);
        if (mapping.sourcesOf(targetDb, dbs).size() > 1) {
            note.accept("target database " + targetDb + " merges several source databases: keys deleted on the source "
                    + "while notifications were lost are not removed from it");
            return sent;
        }
        for (RedisEndpoint node : target.nodes()) {
            sent += rescanTarget(node, db, targetDb, sink);
        }
        return sent;
    }

    /** Sends the source keys of target keys on {@code node} that are gone from the source, to be deleted. */
    private long rescanTarget(RedisEndpoint node, int db, int targetDb, KeySink sink) throws InterruptedException {
        long sent = 0;
        try (StatefulRedisConnection<byte[], byte[]> t = node.connect(targetDb)) {
            for (List<byte[]> page : scan(t, null)) {
                List<byte[]> candidates = new ArrayList<>(page.size());
                for (byte[] tk : page) {
                    byte[] sk = mapping.sourceKey(db, tk);
                    if (sk != null && options.selection().matches(sk)) {
                        candidates.add(sk);
                    }
                }
                if (candidates.isEmpty()) {
                    continue;
                }
                boolean[] present = exists(db, candidates);
                for (int i = 0; i < candidates.size(); i++) {
                    if (!present[i]) {
                        sink.accept(db, candidates.get(i), true);
                        sent++;
                    }
                }
            }
        } catch (CutoverException e) {
            throw e;
        } catch (RuntimeException e) {
            throw node.failure(e);
        }
        return sent;
    }

    /** All pages of a SCAN (each page's keys, in order). */
    private static Iterable<List<byte[]>> scan(StatefulRedisConnection<byte[], byte[]> c, String match) {
        return () -> new java.util.Iterator<>() {
            ScanCursor cursor = ScanCursor.INITIAL;
            boolean finished;

            @Override
            public boolean hasNext() {
                return !finished;
            }

            @Override
            public List<byte[]> next() {
                ScanArgs args = ScanArgs.Builder.limit(SCAN_COUNT);
                if (match != null) {
                    args.match(match);
                }
                KeyScanCursor<byte[]> page = c.sync().scan(cursor, args);
                cursor = page;
                finished = page.isFinished();
                return page.getKeys();
            }
        };
    }

    private boolean[] exists(int db, List<byte[]> keys) {
        KeyedConnection c = sourcePipes.computeIfAbsent(db, source::connectKeyedPipelined);
        List<RedisFuture<Long>> f = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            f.add(c.async().exists(k));
        }
        c.flushCommands();
        boolean[] out = new boolean[keys.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Replies.await(source, f.get(i)) > 0;
        }
        return out;
    }

    @Override
    public void close() {
        copier.close();
        sourcePipes.values().forEach(KeyedConnection::close);
    }
}
