package io.cutover.cli;

import io.cutover.cli.demo.DemoCommand;
import io.cutover.cli.redis.RedisCommand;
import io.cutover.cli.router.RouterCommand;
import io.cutover.cli.sql.SqlCommand;
import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.core.error.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;

/** The {@code cutover} command: parses, hands the work to a module, prints, exits. */
@Command(name = "cutover", mixinStandardHelpOptions = true, versionProvider = Cutover.Version.class,
        description = "Move a live service's data and traffic to a new home: Redis keyspaces, relational data "
                + "in time windows, HTTP traffic through a strangler router.",
        subcommands = {RedisCommand.class, SqlCommand.class, RouterCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class Cutover implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests too). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** The configured Picocli command line: one-line errors and the exit codes of {@link ExitCode}. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Cutover());
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

    /** The version from the jar manifest, "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cutover.class.getPackage().getImplementationVersion();
            return new String[] {"cutover " + (v == null ? "dev" : v)};
        }
    }
}
