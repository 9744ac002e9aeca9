package io.cutover.redis.switchover;

import io.cutover.core.error.CutoverException;
import io.cutover.core.time.Durations;
import io.cutover.redis.clients.ClientInfo;
import io.cutover.redis.clients.DrainResult;
import io.cutover.redis.clients.DrainWatch;
import io.cutover.redis.clients.OtherClients;
import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.ServerInfo;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.live.KeyspaceNotifications;
import io.cutover.redis.live.LiveCopy;
import io.cutover.redis.live.LiveOptions;
import io.cutover.redis.live.LiveReport;
import io.cutover.redis.live.StreamKeys;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.verify.RedisVerify;
import io.cutover.redis.verify.VerifyOptions;
import io.cutover.redis.verify.VerifyReport;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Switches clients from the source to the target without split writes:
 * <ol>
 * <li>starts a live copy (keyspace notifications on) and waits until it has caught up;</li>
 * <li>pauses writes on the source, waits until every change is on the target and compares the keys changed since
 *     the live copy began;</li>
 * <li>asks the operator to point clients at the target (or runs their switch command) and waits;</li>
 * <li>releases the pause and watches clients leave the source.</li>
 * </ol>
 * How writes are paused depends on the source, see {@link PauseMode}. Any failure before the switch releases the
 * pause (where the server allows) and leaves the source as it was.
 */
public final class RedisSwitch {
    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final CopyOptions copyOptions;
    private final SwitchOptions options;
    private final SwitchOperator operator;
    private final List<SwitchReport.Step> steps = new ArrayList<>();
    private long stepStart;
    private int streamKeyLimit = StreamKeys.DEFAULT_LIMIT;

    public RedisSwitch(RedisEndpoint source, RedisEndpoint target, CopyOptions copyOptions, SwitchOptions options,
                       SwitchOperator operator) {
        this.source = source;
        this.target = target;
        this.copyOptions = copyOptions;
        this.options = options;
        this.operator = operator;
    }

    /**
     * Stream keys the live copy tracks (default {@link StreamKeys#DEFAULT_LIMIT}); with more, the streams are found by
     * a {@code SCAN … TYPE stream} while writes are paused. Call before {@link #run()}.
     */
    public RedisSwitch streamKeyLimit(int limit) {
        if (limit < 1) {
            throw CutoverException.usage("stream key limit must be positive");
        }
        this.streamKeyLimit = limit;
        return this;
    }

    /** The pause mode {@code asked} resolves to on a source of this version; a usage error when impossible. */
    public static PauseMode resolve(PauseMode asked, ServerInfo si, String where) {
        boolean hasPause = si.atLeast(3, 0); // CLIENT PAUSE appeared in 3.0 (2.9.50); 2.8 answers "Syntax error"
        return switch (asked) {
            case AUTO -> {
                if (si.hasWritePause()) {
                    yield PauseMode.WRITE;
                }
                if (hasPause) {
                    yield PauseMode.ALL;
                }
                throw CutoverException.usage(where + " (" + si.version() + ") has no CLIENT PAUSE, so writes cannot be "
                        + "stopped for the switch: stop the writers yourself and run again with --no-pause (a lock or "
                        + "counter can then be split between old and new)");
            }
            case WRITE -> {
                if (!si.hasWritePause()) {
                    throw CutoverException.usage(where + " (" + si.version() + ") has no CLIENT PAUSE … WRITE (6.2+)");
                }
                yield PauseMode.WRITE;
            }
            case ALL -> {
                if (!hasPause) {
                    throw CutoverException.usage(where + " (" + si.version() + ") has no CLIENT PAUSE (3.0+)");
                }
                yield PauseMode.ALL;
            }
            case NONE -> PauseMode.NONE;
        };
    }

    /** Runs the switch; returns the report (not switched when the final compare found differences). */
    public SwitchReport run() {
        String where = "source " + source.uri().address();
        ServerInfo si = source.info();
        ServerInfo ti = target.info();
        PauseMode mode = resolve(options.pauseMode(), si, where);
        if (mode == PauseMode.ALL && source.cluster()) {
            // the full pause proves "caught up" with one MULTI/EXEC on one server; a cluster would need it on every
            // primary at the same instant, which no command offers
            throw CutoverException.usage(where + " is a Redis Cluster on " + si.version() + ": the switch pauses a cluster's "
                    + "writes with CLIENT PAUSE … WRITE on every primary (6.2+); on older clusters stop the writers "
                    + "yourself and run again with --no-pause");
        }
        boolean sameFormat = si.rdbVersion() == ti.rdbVersion();
        List<Integer> dbs = source.databasesInScope().isEmpty() ? List.of(0) : source.databasesInScope();
        // ours, not the live copy's: the events are needed after the live copy stops, until the clients have drained
        try (KeyspaceNotifications notifications = KeyspaceNotifications.ensure(source, dbs.get(0),
                operator::allowEnablingNotifications)) {
            if (notifications.description().startsWith("turned on")) { // else the live copy's note says it
                operator.note("keyspace notifications " + notifications.description());
            }
            return run(mode, dbs, sameFormat, si);
        }
    }

    private SwitchReport run(PauseMode mode, List<Integer> dbs, boolean sameFormat, ServerInfo si) {
        LiveCopy live = new LiveCopy(source, target, copyOptions, LiveOptions.defaults(), operator);
        live.rememberChangedKeys(Math.max(1, options.verifyLimit()));
        boolean streams = si.hasStreams() && mode != PauseMode.ALL; // a full pause leaves no way to read them again
        if (streams) {
            live.trackStreamKeys(streamKeyLimit);
        }
        CompletableFuture<LiveReport> liveRun = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                liveRun.complete(live.run());
            } catch (Throwable e) {
                liveRun.completeExceptionally(e);
            }
        }, "cutover-live");
        runner.setDaemon(true);
        runner.start();

        Pause pause = new Pause.NotPaused();
        Verification verification = Verification.NONE;
        LiveReport liveReport = null;
        LateWrites late = null;
        try {
            startStep();
            while (!live.awaitLive(Duration.ofMillis(200))) {
                if (liveRun.isDone()) {
                    liveRun.join(); // rethrows the live copy's failure
                    throw CutoverException.runtime("the live copy ended before it was running");
                }
            }
            step("initial copy done; following changes on the source");
            if (!live.awaitCaughtUp(options.drainTimeout())) {
                throw CutoverException.runtime("the live copy did not catch up within " + Durations.format(options.drainTimeout())
                        + " (" + live.status().line() + "): writes outpace the copy; nothing was paused or switched");
            }
            step("live copy caught up (" + live.status().line() + ")");
            late = LateWrites.subscribe(source, dbs, copyOptions.selection());

            if (mode == PauseMode.WRITE) {
                long since = System.nanoTime();
                pause(options.pauseTimeout(), true);
                pause = new Pause.Releasable(since, Instant.now().plus(options.pauseTimeout()));
                step("paused writes on the source" + (source.cluster() ? " (every one of its " + source.nodes().size()
                        + " primaries)" : "") + ": CLIENT PAUSE " + options.pauseTimeout().toMillis() + " WRITE");
                late.armAfterBarrier(); // every later event is a write after the pause
                if (!live.awaitCaughtUp(options.drainTimeout())) {
                    throw CutoverException.runtime("changes made before the pause were not all copied within "
                            + Durations.format(options.drainTimeout()) + " (" + live.status().line() + ")");
                }
                step("every change made before the pause is on the target");
                copyStreamsAgain(live);
                verification = verify(live, sameFormat);
                step(verification.changedKeys().isEmpty()
                        ? "verified every selected key (too many changed keys to list): "
                                + verification.differences().size() + " differences"
                        : "verified the " + verification.changedKeys().getAsLong() + " keys changed since the copy began: "
                                + verification.differences().size() + " differences");
            } else if (mode == PauseMode.ALL) {
                Map<Integer, List<byte[]>> changed = live.changedKeys().orElseThrow(() -> CutoverException.runtime(
                        "more keys changed than can be verified inside a full pause (" + options.verifyLimit()
                                + "); nothing was paused or switched"));
                pause = new Pause.RunsOut(System.nanoTime(), Instant.now().plus(options.pauseTimeout()));
                if (si.hasStreams()) {
                    operator.note("streams are not copied again inside a full pause (no CLIENT PAUSE … WRITE before "
                            + "6.2): consumer groups read or acknowledged during the live copy may lag on the target");
                }
                verification = new Verification(pauseAllAndVerify(live, late, changed, sameFormat),
                        OptionalLong.of(ChangedKeyCheck.count(changed)));
                step("paused every client of the source (CLIENT PAUSE " + options.pauseTimeout().toMillis()
                        + " in MULTI with the reads of the " + ChangedKeyCheck.count(changed) + " changed keys); "
                        + verification.differences().size() + " differences");
            }
            if (!verification.differences().isEmpty()) { // called off: the source stays as it was
                release(pause, live, liveRun);
                return new SwitchReport(mode, steps, verification.changedKeys(), verification.differences(), false, false,
                        pause.lasted(options.pauseTimeout()), null, liveRun.getNow(null), List.of(), List.of(), 0);
            }
            if (mode != PauseMode.NONE) {
                liveReport = stopLive(live, liveRun);
                step("live copy stopped (" + liveReport.recopied() + " keys copied again, " + liveReport.deleted() + " deleted)");
            }

            String instruction = "point clients at the target now (DNS/config): " + target.uri().address()
                    + (mode == PauseMode.NONE ? "; make sure nothing writes to the source any more" : "");
            Instant pauseEnds = pause.ends();
            if (!operator.switchClients(instruction, pauseEnds)) {
                throw CutoverException.runtime("switch aborted by the operator; nothing was switched");
            }
            boolean ranOut = pauseEnds != null && Instant.now().isAfter(pauseEnds);
            step("clients pointed at the target" + (ranOut ? " (after the pause had run out: the source took writes again)" : ""));

            if (mode == PauseMode.NONE) {
                late.armAfterBarrier(); // you confirmed that nothing writes to the source any more
                if (!live.awaitCaughtUp(options.drainTimeout())) {
                    throw CutoverException.runtime("the live copy did not catch up within " + Durations.format(options.drainTimeout()));
                }
                if (streams) {
                    copyStreamsAgain(live);
                }
                verification = verify(live, sameFormat);
                liveReport = stopLive(live, liveRun);
                step("caught up and verified without a pause: " + verification.differences().size() + " differences");
            }
            DrainResult drain;
            List<ClientInfo> disconnected;
            List<String> ignore = new ArrayList<>(options.ignoreClients());
            ignore.add(late.clientName());
            // with a full pause (before 6.2) this waits until the pause ends: our commands are paused too
            try (OtherClients others = new OtherClients(source, ignore)) {
                disconnected = disconnect(others);
                if (pause instanceof Pause.Releasable) {
                    unpause();
                    pause = new Pause.Released(pause.lasted(options.pauseTimeout()));
                    step("released the pause (CLIENT UNPAUSE) after " + Durations.format(pause.lasted(options.pauseTimeout())));
                } else if (pause instanceof Pause.RunsOut r) {
                    step("the pause ends by itself at " + r.ends() + " (no CLIENT UNPAUSE before 6.2)");
                }
                drain = new DrainWatch(others, Duration.ofSeconds(1)).await(options.clientsTimeout(), operator::clientsLeft);
            }
            step(drain.drained() ? "every client left the source"
                    : drain.remaining().clients().size() + " clients still on the source after " + Durations.format(options.clientsTimeout()));
            LateWrites.Result lateWrites = late.resolve(source, target, copyOptions, live.mapping());
            long lateCount = lateWrites.keys().size() + lateWrites.notListed();
            step(lateCount == 0 ? "no key was written on the source after the switch"
                    : lateCount + " keys written on the source after the switch (conflicts; listed below)");
            return new SwitchReport(mode, steps, verification.changedKeys(), verification.differences(), true, ranOut,
                    pause.lasted(options.pauseTimeout()), drain, liveReport, disconnected, lateWrites.keys(),
                    lateWrites.notListed());
        } catch (RuntimeException e) {
            release(pause, live, liveRun);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(pause, live, liveRun);
            throw CutoverException.runtime("interrupted; the pause was released, nothing was switched");
        } finally {
            if (late != null) {
                late.close();
            }
        }
    }

    /**
     * Disconnects the clients still on the source (unless --keep-clients), before the pause is released: a command a
     * client sent to the paused source would otherwise run there after the release, unseen by the target.
     */
    private List<ClientInfo> disconnect(OtherClients others) {
        if (options.keepClients()) {
            operator.note("--keep-clients: clients still connected to the source are not disconnected; what they send "
                    + "there after the release is reported as written late, not lost silently");
            return List.of();
        }
        List<ClientInfo> killed = others.disconnect();
        step(killed.isEmpty() ? "no client left on the source to disconnect"
                : "disconnected " + killed.size() + " clients still on the source (CLIENT KILL), so nothing they sent "
                        + "runs there: " + String.join(", ", killed.stream().limit(10).map(ClientInfo::describe).toList())
                        + (killed.size() > 10 ? ", …" : ""));
        return killed;
    }

    /** Before the switch: lift the pause (where possible) and stop the live copy, leaving the source as it was. */
    private void release(Pause pause, LiveCopy live, CompletableFuture<LiveReport> liveRun) {
        if (pause instanceof Pause.Releasable) {
            try {
                unpause();
                step("released the pause (CLIENT UNPAUSE): the source takes writes again, nothing was switched");
            } catch (RuntimeException e) {
                operator.note("could not release the pause (" + e.getMessage() + "); it ends by itself after "
                        + Durations.format(options.pauseTimeout()));
            }
        } else if (pause instanceof Pause.RunsOut) {
            operator.note("the pause ends by itself (no CLIENT UNPAUSE before 6.2); nothing was switched");
        }
        live.stop();
        try {
            liveRun.get(options.pauseTimeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the original failure is what the user needs to see
        }
    }

    /**
     * Copies every stream key again and waits until they are on the target: consumer groups move (XREADGROUP, XACK,
     * XCLAIM) without keyspace events, so the target's groups may lag; while writes are paused they can't move.
     */
    private void copyStreamsAgain(LiveCopy live) throws InterruptedException {
        LiveCopy.StreamsQueued q = live.queueStreamsAgain();
        if (!live.awaitCaughtUp(options.drainTimeout())) {
            throw CutoverException.runtime("the " + q.streams() + " streams were not copied again within "
                    + Durations.format(options.drainTimeout()) + " (" + live.status().line() + ")");
        }
        String what = q.streams() == 1 ? "the 1 stream" : "the " + q.streams() + " streams";
        step((q.scanned() ? "found " + what + " by SCAN … TYPE stream (" + q.scannedBecause() + ") and copied "
                + (q.streams() == 1 ? "it" : "them") : "copied " + what) + " again (consumer groups move without keyspace events)");
    }

    private LiveReport stopLive(LiveCopy live, CompletableFuture<LiveReport> liveRun) throws InterruptedException {
        live.stop();
        try {
            return liveRun.get(options.drainTimeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CutoverException ce ? ce : CutoverException.runtime(String.valueOf(e.getCause()), e);
        } catch (TimeoutException e) {
            throw CutoverException.runtime("the live copy did not stop in time");
        }
    }

    private List<String> verifyChanged(Map<Integer, List<byte[]>> changed, DbMapping mapping, boolean sameFormat) {
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<Integer, List<byte[]>> e : changed.entrySet()) {
            try (KeyedConnection c = source.connectKeyed(e.getKey())) {
                List<ChangedKeyCheck.Value> values = ChangedKeyCheck.read(source, c, e.getValue());
                diffs.addAll(ChangedKeyCheck.compare(source, c, target, mapping, e.getKey(), e.getValue(), values, sameFormat));
            }
        }
        return diffs;
    }

    private List<String> fullVerify(DbMapping mapping) {
        VerifyReport r = new RedisVerify(source, target, VerifyOptions.defaults().withSelection(copyOptions.selection())
                .withDbMapping(mapping)).run();
        return r.first().stream().map(String::valueOf).toList();
    }

    /**
     * Full pause (3.0–6.0): one MULTI/EXEC sets the pause, publishes a marker on a channel our notification connection
     * listens to, and reads the changed keys, all at the same instant. When the marker arrives, every event published
     * before the pause has arrived; if none of them is still pending, the target matched the source at the pause.
     */
    private List<String> pauseAllAndVerify(LiveCopy live, LateWrites late, Map<Integer, List<byte[]>> changed,
                                           boolean sameFormat) throws InterruptedException {
        String channel = "cutover:switch:" + UUID.randomUUID();
        CountDownLatch marker = live.expectMarker(channel);
        CountDownLatch lateMarker = late.expectMarker(channel);
        List<Integer> dbs = new ArrayList<>(changed.keySet());
        TransactionResult tx;
        try (StatefulRedisConnection<byte[], byte[]> c = source.connect()) {
            RedisAsyncCommands<byte[], byte[]> a = c.async();
            a.multi();
            a.dispatch(CommandType.CLIENT, new StatusOutput<>(ByteArrayCodec.INSTANCE),
                    new CommandArgs<>(ByteArrayCodec.INSTANCE).add("PAUSE").add(options.pauseTimeout().toMillis()));
            a.publish(channel.getBytes(StandardCharsets.UTF_8), new byte[] {'1'});
            for (int db : dbs) {
                a.select(db);
                for (byte[] k : changed.get(db)) {
                    a.type(k);
                    a.pttl(k);
                    a.dump(k);
                }
            }
            RedisFuture<TransactionResult> exec = a.exec();
            tx = exec.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw source.failure(e.getCause() == null ? e : e.getCause());
        }
        if (tx.wasDiscarded()) {
            throw CutoverException.runtime("source " + source.uri().address() + ": the pause transaction was discarded");
        }
        if (!marker.await(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)
                || !lateMarker.await(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw CutoverException.runtime("the pause marker did not arrive on the notification connection within "
                    + Durations.format(options.drainTimeout()) + "; nothing was switched");
        }
        late.arm(); // every later event is a write after the pause began
        // give the copier a moment to finish a batch that was in flight when the pause began
        if (!live.awaitCaughtUpNow(Duration.ofMillis(500))) {
            throw CutoverException.runtime("writes reached the source between the final catch-up and the pause ("
                    + live.status().pending() + " keys); they can't be read while every client is paused. Nothing was "
                    + "switched; the pause ends by itself after " + Durations.format(options.pauseTimeout()) + ": run the switch again");
        }
        List<String> diffs = new ArrayList<>();
        int at = 2; // CLIENT PAUSE, PUBLISH
        for (int db : dbs) {
            at++; // SELECT
            List<byte[]> keys = changed.get(db);
            List<ChangedKeyCheck.Value> values = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                values.add(new ChangedKeyCheck.Value(String.valueOf((Object) tx.get(at)), tx.get(at + 1), tx.get(at + 2)));
                at += 3;
            }
            diffs.addAll(ChangedKeyCheck.compare(source, null, target, live.mapping(), db, keys, values, sameFormat));
        }
        return diffs;
    }

    /** Pauses the source's clients (on every primary of a cluster, one after another, within milliseconds). */
    private void pause(Duration timeout, boolean writesOnly) {
        List<RedisEndpoint> paused = new ArrayList<>();
        for (RedisEndpoint node : source.nodes()) {
            try (StatefulRedisConnection<byte[], byte[]> c = node.connect()) {
                CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add("PAUSE").add(timeout.toMillis());
                if (writesOnly) {
                    args.add("WRITE");
                }
                c.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(ByteArrayCodec.INSTANCE), args);
                paused.add(node);
            } catch (RuntimeException e) {
                for (RedisEndpoint done : paused) { // all or nothing; the pause ends by itself where this fails
                    try {
                        unpause(done);
                    } catch (RuntimeException ignored) {
                        // the failure to report is the pause that could not be set
                    }
                }
                throw CutoverException.runtime("source " + node.uri().address() + ": cannot pause clients: "
                        + node.failure(e).getMessage().replaceFirst("^source( node)? [^:]+:\\d+: ", ""), e);
            }
        }
    }

    /** Lifts the pause on every primary; the first failure is thrown after trying them all. */
    private void unpause() {
        RuntimeException first = null;
        for (RedisEndpoint node : source.nodes()) {
            try {
                unpause(node);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void unpause(RedisEndpoint node) {
        try (StatefulRedisConnection<byte[], byte[]> c = node.connect()) {
            c.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(ByteArrayCodec.INSTANCE),
                    new CommandArgs<>(ByteArrayCodec.INSTANCE).add("UNPAUSE"));
        } catch (RuntimeException e) {
            throw node.failure(e);
        }
    }

    private void startStep() {
        stepStart = System.nanoTime();
    }

    private void step(String done) {
        long now = System.nanoTime();
        Duration took = Duration.ofNanos(now - stepStart);
        stepStart = now;
        steps.add(new SwitchReport.Step(done, took));
        operator.step(done, took);
    }

    /**
     * The keys compared and the differences found: the keys changed since the copy began, or every selected key
     * (empty {@code changedKeys}) when more changed than could be listed.
     */
    private record Verification(List<String> differences, OptionalLong changedKeys) {
        static final Verification NONE = new Verification(List.of(), OptionalLong.of(0));
    }

    private Verification verify(LiveCopy live, boolean sameFormat) {
        Map<Integer, List<byte[]>> changed = live.changedKeys().orElse(null);
        return changed == null ? new Verification(fullVerify(live.mapping()), OptionalLong.empty())
                : new Verification(verifyChanged(changed, live.mapping(), sameFormat), OptionalLong.of(ChangedKeyCheck.count(changed)));
    }

    /** Whether and how writes on the source are paused right now. */
    private sealed interface Pause {
        /** When the pause ends by itself (null when none is in force). */
        Instant ends();

        /** How long writes have been paused so far (a pause that runs out lasts at most {@code timeout}). */
        Duration lasted(Duration timeout);

        /** No pause (yet, or --no-pause). */
        record NotPaused() implements Pause {
            public Instant ends() {
                return null;
            }

            public Duration lasted(Duration timeout) {
                return Duration.ZERO;
            }
        }

        /** {@code CLIENT PAUSE … WRITE} (6.2+): we lift it with CLIENT UNPAUSE. */
        record Releasable(long sinceNanos, Instant ends) implements Pause {
            public Duration lasted(Duration timeout) {
                return Duration.ofNanos(System.nanoTime() - sinceNanos);
            }
        }

        /** {@code CLIENT PAUSE} of every command (before 6.2): it can only run out. */
        record RunsOut(long sinceNanos, Instant ends) implements Pause {
            public Duration lasted(Duration timeout) {
                return Duration.ofNanos(Math.min(System.nanoTime() - sinceNanos, timeout.toNanos()));
            }
        }

        /** Lifted after {@code lasted}. */
        record Released(Duration lasted) implements Pause {
            public Instant ends() {
                return null;
            }

            public Duration lasted(Duration timeout) {
                return lasted;
            }
        }
    }
}
