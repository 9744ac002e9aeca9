package io.cutover.redis.copy;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RespPipe;
import io.cutover.redis.connect.ServerInfo;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.select.SlotRanges;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies a filtered keyspace from one Redis to another with only the commands managed services allow: SCAN on the
 * source feeds a bounded queue of key batches; worker threads copy each batch with {@link KeyBatchCopier}.
 * Everything is validated (both servers reachable, credentials, target databases, checkpoint) before anything is
 * written.
 */
public final class RedisCopy {
    private static final long CHECKPOINT_EVERY_MS = 2000;

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final CopyOptions options;
    private final Progress progress;
    private final boolean ownsProgressTotal;

    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final Map<Integer, DbTrack> tracks = new TreeMap<>();
    private final Tally confirmed = new Tally();

    public RedisCopy(RedisEndpoint source, RedisEndpoint target, CopyOptions options, Progress progress) {
        this(source, target, options, progress, true);
    }

    private RedisCopy(RedisEndpoint source, RedisEndpoint target, CopyOptions options, Progress progress,
                      boolean ownsProgressTotal) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.progress = progress == null ? Progress.silent() : progress;
        this.ownsProgressTotal = ownsProgressTotal;
    }

    /**
     * Runs the copy to the end; throws {@link CutoverException} (exit 2 before writing, 3 while copying). A cluster
     * source is copied primary by primary (each with its own checkpoint file, FILE.HOST-PORT).
     */
    public CopyReport run() {
        if (source.cluster()) {
            return runPerPrimary();
        }
        return runOne();
    }

    private CopyReport runPerPrimary() {
        long started = System.nanoTime();
        source.databasesInScope(); // database 0 only: a usage error for a URI naming another
        progress.total(source.keyCount(0, options.selection().slots()));
        List<CopyReport> parts = new ArrayList<>();
        for (RedisEndpoint node : source.nodesServing(options.selection().slots())) {
            CopyOptions o = options.checkpoint() == null ? options
                    : options.withCheckpoint(Checkpoint.forNode(options.checkpoint(), node.uri()));
            parts.add(new RedisCopy(node, target, o, progress, false).runOne());
        }
        return CopyReport.combine(source.uri().toString(), target.uri().toString(), parts,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private CopyReport runOne() {
        long started = System.nanoTime();
        ServerInfo si = source.refreshInfo(); // fresh key counts: they decide the databases in scope
        ServerInfo ti = target.info();
        List<Integer> dbs = si.databasesInScope(source.uri());
        DbMapping mapping = resolveMapping(dbs, ti);
        if (options.mode() == CopyMode.DUMP && si.rdbVersion() > ti.rdbVersion()) {
            throw CutoverException.usage("--mode dump: the target (" + ti.version() + ") cannot load DUMP payloads of the source ("
                    + si.version() + ", RDB " + si.rdbVersion() + " > " + ti.rdbVersion() + "); use --mode auto or struct");
        }
        checkTargetDatabases(mapping, dbs, ti);
        Path file = options.checkpoint();
        String job = jobDescription(mapping);
        Optional<Checkpoint> previous = Optional.empty();
        if (file != null) {
            Checkpoint.checkWritable(file);
            previous = Checkpoint.read(file);
            if (previous.isPresent() && !previous.get().job().equals(job)) {
                throw CutoverException.usage("--checkpoint " + file + ": written for another copy (" + previous.get().job()
                        + "); use another file or delete it");
            }
            if (previous.isPresent() && !(previous.get().source().equals(source.uri().address())
                    && previous.get().target().equals(target.uri().address()))) {
                throw CutoverException.usage("--checkpoint " + file + ": written for source " + previous.get().source()
                        + " and target " + previous.get().target());
            }
        }
        long total = 0;
        for (int db : dbs) {
            Checkpoint.Position p = previous.map(c -> c.databases().get(db)).orElse(null);
            tracks.put(db, new DbTrack(p == null ? "0" : p.cursor(), p != null && p.done()));
            if (ownsProgressTotal && (p == null || !p.done())) {
                // the INFO just read, not another: one server's keys, this copy's part of its slots
                total += options.selection().slots().keysAmong(si.keysPerDb().getOrDefault(db, 0L), SlotRanges.all());
            }
        }
        if (ownsProgressTotal) {
            progress.total(total);
        }

        RateLimiter rate = new RateLimiter(options.rateOpsPerSecond());
        boolean allStruct = KeyBatchCopier.useStruct(options.mode(), si, ti);
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(options.threads() * 2);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < options.threads(); i++) {
            Thread t = new Thread(() -> work(queue, mapping, rate), "cutover-copy-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        ScheduledExecutorService saver = null;
        if (file != null && !options.dryRun()) {
            saver = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cutover-checkpoint");
                t.setDaemon(true);
                return t;
            });
            Checkpoint base = previous.orElse(null);
            saver.scheduleWithFixedDelay(() -> snapshot(base, job).write(file),
                    CHECKPOINT_EVERY_MS, CHECKPOINT_EVERY_MS, TimeUnit.MILLISECONDS);
        }
        try {
            scan(queue, rate, mapping);
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, e);
        } finally {
            for (int i = 0; i < workers.size(); i++) {
                end(queue);
            }
            for (Thread t : workers) {
                join(t);
            }
            if (saver != null) {
                saver.shutdownNow();
                awaitQuietly(saver);
                snapshot(previous.orElse(null), job).write(file);
            }
        }
        Throwable failure = fatal.get();
        if (failure != null) {
            throw failure instanceof CutoverException ce ? ce : failure(source, target, failure);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Tally all = new Tally();
        previous.ifPresent(c -> all.add(c.totals()));
        BatchResult thisRun;
        synchronized (this) {
            thisRun = confirmed.toResult();
        }
        all.add(thisRun);
        String mode = allStruct ? "struct" : all.copiedStruct > 0 ? "dump+struct" : "dump";
        double seconds = Math.max(1e-3, elapsed.toNanos() / 1e9);
        return new CopyReport(source.uri().toString(), target.uri().toString(), mode, options.dryRun(),
                previous.isPresent(), all.copied, all.copiedStruct, all.unchanged, all.filtered, all.expired,
                all.existing, all.failed, all.bytes, List.copyOf(all.existingKeys), List.copyOf(all.failures),
                elapsed, thisRun.copied() / seconds);
    }

    /** The --db-map resolved for {@code dbs} (see {@link DbMapping#resolve}); a cluster target takes database 0 only. */
    private DbMapping resolveMapping(List<Integer> dbs, ServerInfo ti) {
        DbMapping mapping = options.dbMapping().resolve(dbs, target.uri().db());
        for (int db : dbs) {
            target.checkClusterDatabase(mapping.targetDb(db), db);
        }
        return mapping;
    }

    /** Selects every target database once, so a bad --db-map fails before anything is written. */
    private void checkTargetDatabases(DbMapping mapping, List<Integer> dbs, ServerInfo ti) {
        try (StatefulRedisConnection<byte[], byte[]> c = target.connect()) {
            for (int db : dbs) {
                int t = mapping.targetDb(db);
                try {
                    c.sync().select(t);
                } catch (RedisCommandExecutionException e) {
                    throw CutoverException.usage("target " + target.uri().address() + " has no database " + t
                            + " (source database " + db + " goes there" + (options.dbMapping().rule(db).isPresent()
                            ? " by --db-map)" : "; use --db-map)"), e);
                }
            }
        } catch (CutoverException e) {
            throw e;
        } catch (RuntimeException e) {
            throw target.failure(e);
        }
        try (StatefulRedisConnection<byte[], byte[]> c = source.connect()) {
            for (int db : dbs) {
                c.sync().select(db);
            }
        } catch (RedisCommandExecutionException e) {
            throw CutoverException.usage("source " + source.uri().address() + ": " + e.getMessage(), e);
        } catch (CutoverException e) {
            throw e;
        } catch (RuntimeException e) {
            throw source.failure(e);
        }
    }

    private String jobDescription(DbMapping mapping) {
        StringBuilder sb = new StringBuilder(options.selection().toString());
        mapping.rules().values().stream().sorted((a, b) -> Integer.compare(a.sourceDb(), b.sourceDb())).forEach(r ->
                sb.append(", db ").append(r.sourceDb()).append("->").append(r.targetDb())
                        .append(r.prefix().isEmpty() ? "" : " prefix " + r.prefix()));
        sb.append(", mode ").append(options.mode().name().toLowerCase());
        if (options.replace()) {
            sb.append(", replace");
        }
        return sb.toString();
    }

    private void scan(BlockingQueue<Batch> queue, RateLimiter rate, DbMapping mapping) {
        int count = options.selection().isAll() ? options.batch() : Math.min(options.batch() * 10, 10_000);
        Set<Integer> targetDbsStarted = new HashSet<>();
        for (Map.Entry<Integer, DbTrack> e : tracks.entrySet()) {
            int db = e.getKey();
            DbTrack track = e.getValue();
            if (track.done) {
                continue;
            }
            if (!targetDbsStarted.add(mapping.targetDb(db))) {
                // an earlier source database merges into the same target database: its keys land first, so which of
                // two colliding keys stays is the lower database's, not a matter of thread timing
                awaitBatchesInFlight();
            }
            progress.detail("db " + db);
            try (Scanner scanner = new Scanner(db)) {
                String cursor = track.cursor;
                List<byte[]> keys = new ArrayList<>();
                long filtered = 0;
                int scans = 0;
                boolean finished = false;
                while (!finished) {
                    if (fatal.get() != null) {
                        return;
                    }
                    rate.acquire(1);
                    List<byte[]> page = new ArrayList<>(count);
                    cursor = scanner.scan(cursor, count, page);
                    for (byte[] k : page) {
                        if (!options.selection().inSlots(k)) {
                            continue; // another worker's key: neither copied nor counted here
                        }
                        if (options.selection().matchesGlobs(k)) {
                            keys.add(k);
                        } else {
                            filtered++;
                        }
                    }
                    scans++;
                    finished = "0".equals(cursor);
                    if (keys.size() >= options.batch() || finished || scans >= 16) {
                        emit(queue, new Batch(db, track.nextSeq++, keys, filtered, cursor, finished));
                        keys = new ArrayList<>();
                        filtered = 0;
                        scans = 0;
                    }
                }
            } catch (CutoverException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw source.failure(ex);
            }
        }
    }

    /**
     * SCAN over one source database: a bare RESP connection on plain TCP (Lettuce decoded large SCAN pages slowly
     * here), Lettuce for TLS.
     */
    private final class Scanner implements AutoCloseable {
        private final RespPipe pipe;
        private final StatefulRedisConnection<byte[], byte[]> lettuce;

        Scanner(int db) {
            if (source.uri().tls()) {
                pipe = null;
                lettuce = source.connect(db);
            } else {
                try {
                    pipe = RespPipe.open(source.uri(), db);
                } catch (java.io.IOException e) {
                    throw source.failure(e);
                }
                lettuce = null;
            }
        }

        /** One SCAN call: adds the keys to {@code into} and returns the next cursor ("0" at the end). */
        String scan(String cursor, int count, List<byte[]> into) {
            if (lettuce != null) {
                KeyScanCursor<byte[]> page = lettuce.sync().scan(ScanCursor.of(cursor), ScanArgs.Builder.limit(count));
                into.addAll(page.getKeys());
                return page.isFinished() ? "0" : page.getCursor();
            }
            try {
                pipe.command(RespPipe.ascii("SCAN"), RespPipe.ascii(cursor), RespPipe.ascii("COUNT"),
                        RespPipe.ascii(Integer.toString(count)));
                pipe.flush();
                pipe.arrayLength();
                String next = new String(pipe.bulkBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                long n = pipe.arrayLength();
                for (long i = 0; i < n; i++) {
                    into.add(pipe.bulkBytes());
                }
                return next;
            } catch (java.io.IOException e) {
                throw source.failure(e);
            }
        }

        @Override
        public void close() {
            if (pipe != null) {
                pipe.close();
            }
            if (lettuce != null) {
                lettuce.close();
            }
        }
    }

    /** Waits until every batch handed to the workers so far is written (or the copy failed). */
    private void awaitBatchesInFlight() {
        while (fatal.get() == null) {
            synchronized (this) {
                if (tracks.values().stream().allMatch(t -> t.inFlight.isEmpty())) {
                    return;
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CutoverException.runtime("interrupted");
            }
        }
    }

    private void emit(BlockingQueue<Batch> queue, Batch b) {
        synchronized (this) {
            tracks.get(b.db).inFlight.put(b.seq, b);
        }
        if (b.keys.isEmpty()) {
            complete(b, new Tally());
            return;
        }
        while (fatal.get() == null) {
            try {
                if (queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CutoverException.runtime("interrupted");
            }
        }
    }

    private void work(BlockingQueue<Batch> queue, DbMapping mapping, RateLimiter rate) {
        try (KeyBatchCopier copier = new KeyBatchCopier(source, target, options, mapping, rate)) {
            while (true) {
                Batch b = queue.take();
                if (b == Batch.END || fatal.get() != null) {
                    return;
                }
                Tally t = new Tally();
                copier.copySelected(b.db, b.keys, t);
                complete(b, t);
            }
        } catch (Throwable e) {
            fatal.compareAndSet(null, e);
        }
    }

    /** Records a finished batch; counters and cursors advance only over an unbroken run of finished batches. */
    private void complete(Batch b, Tally t) {
        t.filtered += b.filtered;
        BatchResult r = t.toResult();
        progress.add(r.keys(), r.bytes());
        synchronized (this) {
            b.result = r;
            DbTrack track = tracks.get(b.db);
            while (!track.inFlight.isEmpty() && track.inFlight.firstEntry().getValue().result != null) {
                Batch head = track.inFlight.pollFirstEntry().getValue();
                confirmed.add(head.result);
                track.cursor = head.cursorAfter;
                track.done |= head.last;
            }
        }
    }

    private synchronized Checkpoint snapshot(Checkpoint base, String job) {
        Map<Integer, Checkpoint.Position> dbs = new TreeMap<>();
        tracks.forEach((db, t) -> dbs.put(db, new Checkpoint.Position(t.cursor, t.done)));
        Tally totals = new Tally();
        if (base != null) {
            totals.add(base.totals());
        }
        totals.add(confirmed.toResult());
        return new Checkpoint(1, source.uri().address(), target.uri().address(), job, dbs, totals.toResult());
    }

    /** A one-line runtime failure for an error whose side we can't tell. */
    static CutoverException failure(RedisEndpoint source, RedisEndpoint target, Throwable e) {
        if (e instanceof CutoverException ce) {
            return ce;
        }
        CutoverException s = source.failure(e);
        String m = s.getMessage().substring(s.getMessage().indexOf(": ") + 2);
        return new CutoverException(ExitCode.RUNTIME, "copy " + source.uri().address() + " → " + target.uri().address()
                + ": " + m, e);
    }

    /** Tells one worker to stop once the batches before it are done. */
    private void end(BlockingQueue<Batch> q) {
        try {
            while (!q.offer(Batch.END, 100, TimeUnit.MILLISECONDS)) {
                if (fatal.get() != null) {
                    q.poll(); // after a failure workers may be gone: drop work to make room
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(ScheduledExecutorService s) {
        try {
            s.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Scan state of one source database. */
    private static final class DbTrack {
        String cursor;
        boolean done;
        long nextSeq;
        final TreeMap<Long, Batch> inFlight = new TreeMap<>();

        DbTrack(String cursor, boolean done) {
            this.cursor = cursor;
            this.done = done;
        }
    }

    /** Keys from one or more SCAN calls, and the cursor after them. */
    private static final class Batch {
        static final Batch END = new Batch(-1, -1, List.of(), 0, "0", true);
        final int db;
        final long seq;
        final List<byte[]> keys;
        final long filtered;
        final String cursorAfter;
        final boolean last;
        BatchResult result;

        Batch(int db, long seq, List<byte[]> keys, long filtered, String cursorAfter, boolean last) {
            this.db = db;
            this.seq = seq;
            this.keys = keys;
            this.filtered = filtered;
            this.cursorAfter = cursorAfter;
            this.last = last;
        }
    }
}
