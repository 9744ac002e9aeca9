package io.cutover.runbook.run;

import io.cutover.core.command.CommandRunner;
import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.time.Durations;
import io.cutover.runbook.plan.Action;
import io.cutover.runbook.plan.OnFailure;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.state.Decision;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunEvent;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStatus;
import io.cutover.runbook.state.RunStore;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.state.StepState;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs a runbook: steps in dependency order (in parallel where {@code after} allows), the state recorded after
 * every transition, decisions taken from the page and the inbox, failures handled as each step says, rollback
 * in reverse. One thread (the caller's) owns the run record; steps' work runs on worker threads and reports back
 * through a queue.
 */
public final class Runner {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Runbook runbook;
    private final RunStore store;
    private final PrintWriter out;
    private final Clock clock;
    private final StepWork work;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runbook-step");
        t.setDaemon(true);
        return t;
    });
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Map<String, Future<?>> working = new HashMap<>();
    private final Map<String, StepOutput> outputs = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Step> byId = new LinkedHashMap<>();

    private volatile History history;
    private volatile RunRecord rec;
    private boolean stopping;
    private boolean rollbackWanted;
    private boolean aborted;
    private String abortedBy;
    private Instant abortedAt;
    private java.time.Duration abortGrace = java.time.Duration.ofSeconds(15);
    private Deque<String[]> rollbackQueue;
    private final Set<String> announced = new HashSet<>();

    /** The outcome of a step's work, back on the run's thread. */
    private record Finished(String step, Outcome outcome) {
    }

    /**
     * Opens the run: continues the last one when it can be continued (see {@link RunStatus#resumable()}), else
     * starts a new one; applies {@code --from}, {@code --skip} and the answer about steps that were running.
     */
    public Runner(Runbook runbook, RunOptions options, CommandRunner commands, PrintWriter out, Clock clock) {
        this.runbook = runbook;
        this.store = runbook.state().open(runbook.name());
        this.out = out;
        this.clock = clock;
        runbook.steps().forEach(s -> byId.put(s.id(), s));
        this.work = new StepWork(commands, id -> outputs.containsKey(id) ? outputs.get(id).lines() : List.of(),
                runbook.file().toAbsolutePath().getParent());
        try {
            this.history = store.load();
            this.rec = open(options);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Steps that were running when the last run's process died and are not idempotent: they need an answer. */
    public static List<String> interrupted(Runbook r, History h, RunKind kind) {
        return h.last().filter(x -> x.kind() == kind && x.state().resumable()).map(x -> r.forward().stream()
                .filter(s -> !s.idempotent() && x.step(s.id()).state() == StepState.RUNNING).map(Step::id).toList())
                .orElse(List.of());
    }

    private RunRecord open(RunOptions o) {
        for (String s : o.skip()) {
            checkStep(s, "--skip");
        }
        if (o.from() != null) {
            checkStep(o.from(), "--from");
        }
        RunRecord last = history.last().orElse(null);
        Instant now = clock.instant();
        RunRecord r;
        if (last != null && last.state().resumable() && last.kind() == o.kind() && !o.newRun()) {
            r = last;
            List<String> stuck = interrupted(runbook, history, o.kind());
            if (!stuck.isEmpty() && o.resumeRunning() == null) {
                throw CutoverException.usage("run " + last.run() + " stopped while " + String.join(", ", stuck)
                        + (stuck.size() == 1 ? " was" : " were") + " running: say what happened with --resume-running rerun|done|fail");
            }
            say("continuing " + o.kind().word() + " " + r.run() + " (it was " + last.state().word() + ")");
            Set<String> justFailed = new HashSet<>();
            for (Step s : runbook.steps()) {
                StepRun x = r.step(s.id());
                if (x.state() == StepState.RUNNING) {
                    ResumeChoice c = s.idempotent() ? ResumeChoice.RERUN : o.resumeRunning();
                    if (x.pid() != null && ProcessHandle.of(x.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                        say("note: " + s.id() + "'s shell (pid " + x.pid() + ") is still alive");
                    }
                    r = r.with(new RunEvent(now, s.id(), "was running when the run stopped: " + c.name().toLowerCase(), o.operator()));
                    r = switch (c) {
                        case RERUN -> r.with(s.id(), x.again());
                        case DONE -> r.with(s.id(), x.finished(StepState.DONE, now, "marked done on resume").doneBy(o.operator()));
                        case FAIL -> r.with(s.id(), x.finished(StepState.FAILED, now, "marked failed on resume").doneBy(o.operator()));
                    };
                    if (c == ResumeChoice.FAIL) {
                        justFailed.add(s.id());
                    }
                } else if (x.state() == StepState.WAITING || x.state() == StepState.ABORTED
                        || (x.state() == StepState.FAILED && !s.rollbackOnly() && s.onFailure() != OnFailure.CONTINUE)) {
                    // a step that failed (and stopped the run) is tried again when the run continues
                    r = r.with(s.id(), x.again());
                }
            }
            for (String id : justFailed) {
                rec = r;
                failed(byId.get(id), "marked failed on resume");
            }
        } else {
            Map<String, StepRun> steps = new LinkedHashMap<>();
            runbook.steps().forEach(s -> steps.put(s.id(), StepRun.pending()));
            r = new RunRecord(history.nextRun(), o.kind(), RunStatus.RUNNING, now, null, steps, List.of());
            say("starting " + o.kind().word() + " " + r.run() + " of " + runbook.name());
        }
        for (Step s : runbook.steps()) {
            if (!r.steps().containsKey(s.id())) {
                r = r.with(s.id(), StepRun.pending());
            }
        }
        Set<String> skip = new HashSet<>();
        for (Step s : runbook.forward()) {
            if (o.skip().contains(s.id()) || o.skip().contains(s.base())) {
                skip.add(s.id());
            }
        }
        if (o.from() != null) {
            Set<String> keep = descendants(o.from());
            runbook.forward().stream().filter(s -> !keep.contains(s.id())).forEach(s -> skip.add(s.id()));
        }
        for (String id : skip) {
            StepRun x = r.step(id);
            if (x.state() != StepState.DONE) {
                r = r.with(id, x.finished(StepState.SKIPPED, now, o.skip().contains(id) || o.skip().contains(byId.get(id).base())
                        ? "--skip" : "before --from " + o.from()));
            }
        }
        r = r.with(RunStatus.RUNNING, null);
        return r;
    }

    private void checkStep(String id, String option) {
        boolean known = runbook.forward().stream().anyMatch(s -> s.id().equals(id) || s.base().equals(id));
        if (!known) {
            throw CutoverException.usage(option + ": no step '" + id + "' in " + runbook.file());
        }
    }

    /** The step (or every instance of a for_each step) and all that come after it. */
    private Set<String> descendants(String id) {
        Set<String> keep = new HashSet<>();
        runbook.forward().stream().filter(s -> s.id().equals(id) || s.base().equals(id)).forEach(s -> keep.add(s.id()));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Step s : runbook.forward()) {
                if (!keep.contains(s.id()) && s.after().stream().anyMatch(keep::contains)) {
                    keep.add(s.id());
                    grew = true;
                }
            }
        }
        return keep;
    }

    /** Runs until the run ends; returns the exit code (0 done, 1 done with failed steps that said continue, 3 otherwise). */
    public int run() {
        AutoCloseable conductor = store.conduct();
        try {
            save();
            long lastInbox = 0;
            long lastSave = System.nanoTime();
            boolean dirty = false;
            while (true) {
                if (System.nanoTime() - lastInbox > 300_000_000L) {
                    for (Decision d : store.take()) {
                        // decisions from another terminal pass the same checks as the page's
                        String refused = decide(d);
                        if (refused != null) {
                            rec = rec.with(new RunEvent(clock.instant(), d.step(), d.action().word() + " refused: " + refused, d.by()));
                            say("refused  " + d.action().word() + (d.step() == null ? "" : " " + d.step()) + " by " + d.by() + ": " + refused);
                            dirty = true;
                        }
                    }
                    lastInbox = System.nanoTime();
                }
                Object e = events.poll(100, TimeUnit.MILLISECONDS);
                while (e != null) {
                    handle(e);
                    e = events.poll();
                }
                advance();
                if (rec.state() != RunStatus.RUNNING && rec.state() != RunStatus.PAUSED) {
                    break;
                }
                if (System.nanoTime() - lastSave > 2_000_000_000L) {
                    keepOutputs();
                    lastSave = System.nanoTime();
                    dirty = true;
                }
                if (dirty) {
                    save();
                    dirty = false;
                }
            }
            keepOutputs();
            save();
            say(rec.kind().word() + " " + rec.run() + " " + rec.state().word());
            boolean anyFailed = runbook.forward().stream().anyMatch(s -> rec.step(s.id()).state() == StepState.FAILED);
            return rec.state() == RunStatus.DONE ? (anyFailed ? ExitCode.DIFFERENCES.code() : ExitCode.OK.code()) : ExitCode.RUNTIME.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        } finally {
            workers.shutdownNow();
            try {
                conductor.close();
            } catch (Exception e) {
                // the lock goes with the process (or its connection) anyway
            }
            store.close();
        }
    }

    /** Hands an operator's decision to the run; returns null when taken, else why it cannot be. */
    public String decide(Decision d) {
        RunRecord r = rec;
        if (r.state() != RunStatus.RUNNING && r.state() != RunStatus.PAUSED) {
            return "the run is " + r.state().word();
        }
        if (d.step() != null) {
            Step s = byId.get(d.step());
            if (s == null) {
                return "no step '" + d.step() + "'";
            }
            StepRun x = r.step(s.id());
            switch (d.action()) {
                case CONFIRM -> {
                    if (!s.confirm() || x.confirmedBy() != null) {
                        return s.confirm() ? "'" + s.id() + "' is already confirmed by " + x.confirmedBy() : "'" + s.id() + "' needs no confirmation";
                    }
                }
                case DONE, FAILED -> {
                    if (!(s.action() instanceof Action.Manual) || x.state() != StepState.RUNNING) {
                        return "'" + s.id() + "' is not a manual step in progress (it is " + x.state().word() + ")";
                    }
                }
                default -> {
                }
            }
        }
        if (d.action() == Decision.Action.ROLLBACK) {
            String refused = refusal();
            if (refused != null) {
                return refused;
            }
        }
        events.add(d);
        return null;
    }

    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** The run as recorded, with each running step's output so far. */
    public RunRecord record() {
        RunRecord r = rec;
        for (Map.Entry<String, StepOutput> e : outputs.entrySet()) {
            r = r.with(e.getKey(), r.step(e.getKey()).withOutput(e.getValue().lines()));
        }
        return r;
    }

    public Runbook runbook() {
        return runbook;
    }

    public History history() {
        return history;
    }

    private void handle(Object e) {
        Instant now = clock.instant();
        if (e instanceof Finished f) {
            working.remove(f.step());
            Step s = byId.get(f.step());
            List<String> lines = outputs.get(s.id()).lines();
            StepRun x = rec.step(s.id()).withOutput(lines).measured(Measures.of(lines));
            if (rec.step(s.id()).state() != StepState.RUNNING) {
                return;
            }
            if (f.outcome().ok()) {
                set(s.id(), x.finished(StepState.DONE, now, null));
                say("done     " + s.id() + " in " + took(rec.step(s.id())));
                afterRollbackStep(s, true);
            } else if (stopping && !aborted && "interrupted".equals(f.outcome().why())) {
                set(s.id(), x.again().note("cancelled: the run is stopping"));
            } else if (aborted) {
                set(s.id(), x.finished(StepState.ABORTED, now, "aborted by " + abortedBy + " (" + f.outcome().why() + ")"));
                say("aborted  " + s.id() + " after " + took(rec.step(s.id())) + ": " + f.outcome().why());
            } else {
                set(s.id(), x.finished(StepState.FAILED, now, f.outcome().why()));
                say("FAILED   " + s.id() + ": " + f.outcome().why());
                if (s.rollbackOnly()) {
                    afterRollbackStep(s, false);
                } else if (!aborted && !stopping) {
                    failed(s, f.outcome().why());
                }
            }
        } else if (e instanceof Decision d) {
            decided(d, now);
        } else if (e instanceof Pid p && rec.step(p.step()).state() == StepState.RUNNING) {
            set(p.step(), rec.step(p.step()).pid(p.pid()));
        }
    }

    private void decided(Decision d, Instant now) {
        String by = d.by() == null ? "someone" : d.by();
        rec = rec.with(new RunEvent(now, d.step(), d.action().word(), by));
        switch (d.action()) {
            case CONFIRM -> {
                set(d.step(), rec.step(d.step()).confirmed(by, now));
                say("confirm  " + d.step() + " by " + by);
            }
            case DONE, FAILED -> {
                Step s = byId.get(d.step());
                StepRun x = rec.step(s.id());
                if (x.state() == StepState.RUNNING) {
                    events.add(new Finished(s.id(), d.action() == Decision.Action.DONE ? Outcome.done()
                            : Outcome.failed("marked failed by " + by)));
                    set(s.id(), x.doneBy(by));
                }
            }
            case PAUSE -> {
                if (rec.state() == RunStatus.RUNNING) {
                    rec = rec.with(RunStatus.PAUSED, null);
                    say("paused by " + by + ": no step starts until resume");
                }
            }
            case RESUME -> {
                if (rec.state() == RunStatus.PAUSED) {
                    rec = rec.with(RunStatus.RUNNING, null);
                    say("resumed by " + by);
                }
            }
            case ABORT -> {
                aborted = true;
                abortedBy = by;
                abortedAt = now;
                stopping = true;
                say("abort by " + by + ": stopping every step");
                working.values().stream().filter(f -> f != null).forEach(f -> f.cancel(true));
            }
            case ROLLBACK -> {
                stopping = true;
                rollbackWanted = true;
                say("rollback by " + by);
                cancelWaiting();
            }
        }
        listeners.forEach(Runnable::run);
    }

    /** A forward step failed: do what its on_failure says. */
    private void failed(Step s, String why) {
        if (s.onFailure() == OnFailure.CONTINUE) {
            return;
        }
        stopping = true;
        if (s.onFailure() == OnFailure.ROLLBACK) {
            rollbackWanted = true;
            say("on_failure of " + s.id() + ": rollback");
        } else {
            say("on_failure of " + s.id() + ": stop (nothing new starts)");
        }
        cancelWaiting();
    }

    /**
     * Steps that an abort interrupted but that are still working after the grace period: a command that does not
     * heed interrupts. They are recorded aborted and the run ends; their threads die with this process (the CLI
     * exits when the run ends), which is what Ctrl-C would do to them.
     */
    private void abandon(Instant now) {
        for (String id : List.copyOf(working.keySet())) {
            StepRun x = rec.step(id);
            if (x.state() == StepState.RUNNING) {
                String why = "aborted by " + abortedBy + "; it did not stop within " + Durations.format(abortGrace)
                        + ", so it was left to end with this process";
                set(id, x.withOutput(outputs.get(id).lines()).finished(StepState.ABORTED, now, why));
                say("aborted  " + id + ": " + why);
            }
        }
        working.clear();
    }

    /** How long an abort waits for interrupted steps to stop before it records them aborted regardless. */
    public Runner abortGrace(java.time.Duration d) {
        this.abortGrace = d;
        return this;
    }

    /** Gates and waits are only watching: a stopping run need not wait for them. */
    private void cancelWaiting() {
        working.forEach((id, f) -> {
            if (f != null && (byId.get(id).action() instanceof Action.Gate || byId.get(id).action() instanceof Action.Wait)) {
                f.cancel(true);
            }
        });
    }

    private void advance() {
        Instant now = clock.instant();
        if (rollbackQueue != null) {
            rollingBack(now);
            return;
        }
        if (stopping) {
            // manual steps in progress and steps waiting to start did not happen: they go back to pending
            for (Step s : runbook.forward()) {
                StepRun x = rec.step(s.id());
                if (x.state() == StepState.WAITING || (x.state() == StepState.RUNNING && s.action() instanceof Action.Manual
                        && !working.containsKey(s.id()))) {
                    set(s.id(), x.again());
                }
            }
            if (aborted && !working.isEmpty() && !now.isBefore(abortedAt.plus(abortGrace))) {
                abandon(now);
            }
            if (!working.isEmpty()) {
                return;
            }
            if (aborted) {
                end(RunStatus.ABORTED);
            } else if (rollbackWanted) {
                startRollback(now);
            } else {
                end(RunStatus.FAILED);
            }
            return;
        }
        if (rec.state() == RunStatus.PAUSED) {
            return;
        }
        boolean all = true;
        for (Step s : runbook.forward()) {
            StepRun x = rec.step(s.id());
            if (!x.state().finished()) {
                all = false;
            }
            if (x.state() != StepState.PENDING && x.state() != StepState.WAITING) {
                continue;
            }
            if (!s.after().stream().allMatch(this::satisfied)) {
                continue;
            }
            if (s.confirm() && x.confirmedBy() == null) {
                waiting(s, x, "waiting for a confirmation (" + s.owner() + "): cutover runbook confirm "
                        + runbook.file() + " " + s.id() + " --by NAME, or on the page");
                continue;
            }
            if (s.at() != null && now.isBefore(s.at().toInstant())) {
                waiting(s, x, "starts at " + CLOCK.format(s.at()));
                continue;
            }
            start(s, now);
        }
        if (all) {
            end(RunStatus.DONE);
        }
    }

    private void waiting(Step s, StepRun x, String why) {
        if (x.state() != StepState.WAITING) {
            set(s.id(), x.state(StepState.WAITING).note(why));
        }
        if (announced.add(s.id() + why)) {
            say("waiting  " + s.id() + ": " + why);
        }
    }

    /**
     * Whether a step may start as far as {@code dep} is concerned. A skipped step keeps its place in the order: it
     * is passed only once what it waits for is, so that skipping a step never lets the next one jump ahead.
     */
    private boolean satisfied(String dep) {
        StepRun x = rec.step(dep);
        if (x.state() == StepState.SKIPPED) {
            return byId.get(dep).after().stream().allMatch(this::satisfied);
        }
        return x.state() == StepState.DONE
                || (x.state() == StepState.FAILED && byId.get(dep).onFailure() == OnFailure.CONTINUE);
    }

    private void start(Step s, Instant now) {
        StepOutput output = new StepOutput(() -> listeners.forEach(Runnable::run));
        outputs.put(s.id(), output);
        set(s.id(), rec.step(s.id()).started(now));
        say("start    " + s.id() + " (" + s.owner() + "): " + s.title());
        if (s.action() instanceof Action.Manual m) {
            say("manual   " + s.id() + ": " + m.instruction() + " — then: cutover runbook done " + runbook.file() + " " + s.id()
                    + " [--failed] --by NAME, or on the page");
            return;
        }
        working.put(s.id(), workers.submit(() -> {
            Outcome o = work.perform(s, output, pid -> events.add(new Pid(s.id(), pid)));
            events.add(new Finished(s.id(), o));
        }));
    }

    /** A shell step's process id, recorded so that a resumed run can tell whether it still lives. */
    private record Pid(String step, long pid) {
    }

    private void startRollback(Instant now) {
        String refused = refusal();
        if (refused != null) {
            rec = rec.with(new RunEvent(now, null, refused, null));
            say(refused);
            end(RunStatus.FAILED);
            return;
        }
        rollbackQueue = new ArrayDeque<>();
        runbook.forward().stream().filter(s -> rec.step(s.id()).state() == StepState.DONE)
                .sorted(Comparator.comparing((Step s) -> rec.step(s.id()).finishedAt()).reversed())
                .filter(s -> !s.rollback().isEmpty())
                .forEach(s -> {
                    for (String r : s.rollback()) {
                        rollbackQueue.add(new String[] {s.id(), r});
                    }
                    // the step counts as rolled back only once all its rollback steps are done
                    rollbackQueue.add(new String[] {s.id(), null});
                });
        say("rolling back: " + rollbackQueue.stream().filter(p -> p[1] != null).map(p -> p[1]).toList());
    }

    /** Why a rollback is refused now (a point of no return is done), or null. */
    private String refusal() {
        RunRecord r = rec;
        return runbook.forward().stream().filter(s -> s.pointOfNoReturn() && r.step(s.id()).state() == StepState.DONE)
                .findFirst().map(s -> "rollback refused: '" + s.id() + "' is a point of no return, done at "
                        + CLOCK.format(r.step(s.id()).finishedAt().atOffset(runbook.window().start().getOffset()))
                        + "; fix forward").orElse(null);
    }

    private void rollingBack(Instant now) {
        if (!working.isEmpty() || rec == null || runbook.steps().stream().anyMatch(s -> rec.step(s.id()).state() == StepState.RUNNING)) {
            return;
        }
        while (!rollbackQueue.isEmpty()) {
            String[] next = rollbackQueue.peek();
            if (next[1] == null) {
                rollbackQueue.poll();
                set(next[0], rec.step(next[0]).state(StepState.ROLLED_BACK));
                say("undone   " + next[0]);
                continue;
            }
            StepRun x = rec.step(next[1]);
            if (x.state() == StepState.DONE) {
                set(next[1], x.again());
            }
            start(byId.get(next[1]), now);
            rollbackQueue.poll();
            return;
        }
        end(RunStatus.ROLLED_BACK);
    }

    private void afterRollbackStep(Step s, boolean ok) {
        if (!s.rollbackOnly() || rollbackQueue == null) {
            return;
        }
        if (!ok) {
            say("rollback step " + s.id() + " failed: the rollback stops here");
            rollbackQueue.clear();
            rollbackQueue = null;
            end(RunStatus.FAILED);
        }
    }

    private void end(RunStatus s) {
        rec = rec.with(s, clock.instant());
        listeners.forEach(Runnable::run);
    }

    private void set(String id, StepRun x) {
        rec = rec.with(id, x);
        save();
    }

    private void keepOutputs() {
        for (Map.Entry<String, StepOutput> e : outputs.entrySet()) {
            rec = rec.with(e.getKey(), rec.step(e.getKey()).withOutput(e.getValue().lines()));
        }
    }

    private void save() {
        history = history.put(rec);
        store.save(history);
        listeners.forEach(Runnable::run);
    }

    private String took(StepRun x) {
        Double s = x.actualSeconds();
        return s == null ? "?" : Durations.format(java.time.Duration.ofMillis(Math.round(s * 1000)));
    }

    private void say(String line) {
        out.println(CLOCK.format(clock.instant().atOffset(ZoneOffset.systemDefault().getRules().getOffset(clock.instant()))) + " " + line);
        out.flush();
    }
}
