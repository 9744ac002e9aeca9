package io.cutover.runbook.run;

import io.cutover.core.command.CommandRunner;
import io.cutover.core.time.Durations;
import io.cutover.runbook.gate.Probe;
import io.cutover.runbook.gate.Probes;
import io.cutover.runbook.gate.Reading;
import io.cutover.runbook.plan.Action;
import io.cutover.runbook.plan.Step;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/** Does the work of one step of kind cutover, shell, gate or wait, on the calling thread. */
final class StepWork {
    private final CommandRunner commands;
    private final Function<String, List<String>> outputOf;
    private final java.nio.file.Path dir;

    /** @param dir where shell steps run: the runbook's directory, so that its relative paths mean what they say */
    StepWork(CommandRunner commands, Function<String, List<String>> outputOf, java.nio.file.Path dir) {
        this.commands = commands;
        this.outputOf = outputOf;
        this.dir = dir;
    }

    /**
     * Runs the step; an interrupt (abort, or a stop that cancels gates and waits) ends it failed.
     *
     * @param pid told the shell's process id once it has started
     */
    Outcome perform(Step step, Consumer<String> out, Consumer<Long> pid) {
        try {
            Action a = step.action();
            if (a instanceof Action.RunCutover c) {
                return cutover(c, out);
            } else if (a instanceof Action.Shell s) {
                return shell(s, out, pid);
            } else if (a instanceof Action.Gate g) {
                return gate(g, out);
            } else if (a instanceof Action.Wait w) {
                Thread.sleep(w.length().toMillis());
                return Outcome.done();
            }
            throw new IllegalStateException("a person does manual steps");
        } catch (InterruptedException e) {
            return Outcome.failed(e.getMessage() == null ? "interrupted" : "interrupted: " + e.getMessage());
        } catch (RuntimeException e) {
            return Outcome.failed(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Runs the command in a thread of a thread group of its own. The threads a command starts (copy workers, client
     * event loops) are created in its group, so an abort can interrupt all of them, not only the one that waits
     * for them: the workers of a copy would otherwise go on writing batches after the step was stopped.
     */
    private Outcome cutover(Action.RunCutover c, Consumer<String> out) throws InterruptedException {
        String name = "cutover " + (c.args().size() > 1 && !c.args().get(1).startsWith("-")
                ? c.args().get(0) + " " + c.args().get(1) : c.args().get(0));
        ThreadGroup group = new ThreadGroup(name);
        int[] code = {-1};
        Thread command = new Thread(group, () -> {
            try (java.io.PrintStream sink = new java.io.PrintStream(new OutputLines(out), true, StandardCharsets.UTF_8)) {
                code[0] = commands.run(sink, sink, c.args().toArray(String[]::new));
            }
        }, "cutover-step");
        command.setDaemon(true);
        command.start();
        try {
            command.join();
        } catch (InterruptedException e) {
            stop(group, command);
            throw new InterruptedException(command.isAlive() ? name + " did not stop" : name + " stopped");
        }
        return switch (code[0]) {
            case 0 -> Outcome.done();
            case 1 -> Outcome.failed(name + " found differences (exit 1)");
            case 2 -> Outcome.failed(name + ": usage error (exit 2)");
            default -> Outcome.failed(name + " failed (exit " + code[0] + ")");
        };
    }

    /**
     * Interrupts every thread of the command's group until the command has returned (a thread may be between two
     * blocking calls when first interrupted), for at most ten seconds. A command joins the workers it started, so
     * once it has returned they are done; threads the client library keeps for itself (its timers, its global
     * executor) are left alone.
     */
    private static void stop(ThreadGroup group, Thread command) {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until && command.isAlive()) {
            group.interrupt();
            try {
                command.join(100);
            } catch (InterruptedException again) {
                // already stopping
            }
        }
    }

    private Outcome shell(Action.Shell s, Consumer<String> out, Consumer<Long> pid) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", s.command()).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().putAll(s.env());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Outcome.failed("cannot start /bin/sh: " + e.getMessage());
        }
        pid.accept(p.pid());
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // the shell reads no input anyway
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.accept(line);
                }
            } catch (IOException e) {
                // the process went away: its output ends here
            }
        }, "shell-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(s.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                return Outcome.failed("timed out after " + Durations.format(s.timeout()));
            }
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        reader.join(2000);
        return p.exitValue() == 0 ? Outcome.done() : Outcome.failed("exit " + p.exitValue());
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private Outcome gate(Action.Gate g, Consumer<String> out) throws InterruptedException {
        Instant until = Instant.now().plus(g.timeout());
        String last = null;
        try (Probe probe = Probes.open(g.check(), outputOf)) {
            while (true) {
                Reading r = probe.read();
                if (!r.value().equals(last)) {
                    out.accept(r.value());
                    last = r.value();
                }
                if (r.met()) {
                    return Outcome.done();
                }
                if (!Instant.now().plus(g.every()).isBefore(until)) {
                    return Outcome.failed("gate timed out after " + Durations.format(g.timeout()) + ": " + r.value());
                }
                Thread.sleep(g.every().toMillis());
            }
        }
    }
}
