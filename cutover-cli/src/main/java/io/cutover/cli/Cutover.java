package io.cutover.cli;

import io.cutover.cli.demo.DemoCommand;
import io.cutover.cli.redis.RedisCommand;
import io.cutover.cli.router.RouterCommand;
import io.cutover.cli.sql.SqlCommand;
import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.error.Secrets;
import io.cutover.core.progress.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The {@code cutover} command: parses, hands the work to a module, prints, exits. */
@Command(name = "cutover", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        description = "Move a live service's data and traffic to a new home: Redis keyspaces, relational data "
                + "in time windows, HTTP traffic through a strangler router.",
        // the subcommands are added in commandLine(): see there
        subcommands = {})
public final class Cutover implements Runnable {
    /** The command groups, in the order help lists them. */
    private static final Map<String, Supplier<Object>> GROUPS = groups();
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    private final boolean terminal;

    private Cutover(boolean terminal) {
        this.terminal = terminal;
    }

    /**
     * Whether the command writes its errors to this process's terminal. A command the runbook or the demo runs
     * in-process writes to streams they read, so it must not draw progress on the screen but say it in lines.
     */
    public static boolean onTerminal(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof Cutover c && c.terminal;
    }

    /** A progress line drawn on the terminal when the command's errors go there, else none. */
    public static Progress progress(CommandLine.Model.CommandSpec spec, String label, long total) {
        return Progress.to(System.err, onTerminal(spec), label, total);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests too). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return commandLine(out, err, args.length == 0 ? null : args[0]).execute(args);
    }

    /** The configured Picocli command line with every command group. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, null);
    }

    /**
     * The configured Picocli command line: one-line errors and the exit codes of {@link ExitCode}. When
     * {@code group} names a command group, only that group is built: Picocli reads every command's annotations
     * when it is added, and skipping the other groups saves a tenth of a second or more of every start.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, String group) {
        CommandLine cl = new CommandLine(new Cutover(err == System.err && System.console() != null));
        if (GROUPS.containsKey(group)) {
            cl.addSubcommand(GROUPS.get(group).get());
        } else {
            GROUPS.values().forEach(g -> cl.addSubcommand(g.get()));
        }
        cl.addSubcommand(new CommandLine.HelpCommand());
        PrintWriter errWriter = new PrintWriter(err, true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(errWriter);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(e -> e instanceof CutoverException ce ? ce.exitCode().code() : ExitCode.RUNTIME.code());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("cutover: " + Secrets.redact(ex.getMessage()) + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof CutoverException ce) {
                c.getErr().println("cutover: " + Secrets.redact(ce.getMessage()));
                if (System.getenv("CUTOVER_DEBUG") != null) {
                    ex.printStackTrace(c.getErr());
                }
                return ce.exitCode().code();
            }
            c.getErr().println("cutover: unexpected failure: " + Secrets.redact(String.valueOf(ex)));
            if (System.getenv("CUTOVER_DEBUG") != null) {
                ex.printStackTrace(c.getErr());
            }
            return ExitCode.RUNTIME.code();
        });
        return cl;
    }

    private static Map<String, Supplier<Object>> groups() {
        Map<String, Supplier<Object>> g = new LinkedHashMap<>();
        g.put("redis", RedisCommand::new);
        g.put("sql", SqlCommand::new);
        g.put("router", RouterCommand::new);
        g.put("runbook", io.cutover.cli.runbook.RunbookCommand::new);
        g.put("demo", () -> new DemoCommand(Cutover::execute));
        return Collections.unmodifiableMap(g);
    }

    /**
     * The version from the jar manifest, else from the build's version.txt (the container image runs the classes
     * unpacked, with no manifest), "dev" when neither is there.
     */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cutover " + number()};
        }

        /** The version alone, e.g. 0.1.0-SNAPSHOT (the tag of the image Jib builds). */
        public static String number() {
            String v = Cutover.class.getPackage().getImplementationVersion();
            if (v == null) {
                try (java.io.InputStream in = Cutover.class.getResourceAsStream("version.txt")) {
                    v = in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                } catch (java.io.IOException e) {
                    v = null;
                }
            }
            return v == null || v.isEmpty() ? "dev" : v;
        }
    }
}
