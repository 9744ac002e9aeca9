package io.cutover.cli.sql;

import io.cutover.core.error.CutoverException;
import io.cutover.sql.draft.Draft;
import io.cutover.sql.draft.PlanDrafter;
import io.cutover.sql.plan.Endpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

/** {@code cutover sql draft}: a commented plan drafted from the source's and the target's catalogs. */
@Command(name = "draft", mixinStandardHelpOptions = true,
        description = "Draft a plan from both databases' catalogs: tables and columns matched by name, keys from primary keys, "
                + "refs from foreign keys, 'changed' from change timestamps, a '# TODO' wherever it could not decide. Reads only.")
public final class SqlDraftCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "URL",
            description = "Source JDBC URL, e.g. jdbc:mariadb://127.0.0.1:3306/shop (password from CUTOVER_SOURCE_PASSWORD).")
    String source;

    @Option(names = "--target", required = true, paramLabel = "URL",
            description = "Target JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/shop (password from CUTOVER_TARGET_PASSWORD).")
    String target;

    @Option(names = "--source-user", paramLabel = "USER", description = "Source user (or user= in the URL).")
    String sourceUser;

    @Option(names = "--target-user", paramLabel = "USER", description = "Target user (or user= in the URL).")
    String targetUser;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the plan to FILE (default: print it).")
    Path out;

    @Option(names = "--force", description = "Replace --out when it exists.")
    boolean force;

    @Override
    public Integer call() {
        if (out != null && Files.exists(out) && !force) {
            throw CutoverException.usage(out + " exists: give --force to replace it, or another --out");
        }
        if (out != null && out.toAbsolutePath().getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw CutoverException.usage(out + ": no such directory " + out.toAbsolutePath().getParent());
        }
        Draft draft = PlanDrafter.draft(endpoint(source, sourceUser, "CUTOVER_SOURCE_PASSWORD"),
                endpoint(target, targetUser, "CUTOVER_TARGET_PASSWORD"));
        String summary = draft.steps().size() + " step(s)" + (draft.inactiveSteps() > 0 ? " (" + draft.inactiveSteps()
                + " commented out)" : "") + ", " + draft.todos() + " TODO(s)";
        if (out == null) {
            spec.commandLine().getOut().print(draft.yaml());
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println("drafted " + summary);
        } else {
            write(out, draft.yaml());
            PrintWriter w = spec.commandLine().getOut();
            w.println("wrote " + out + ": " + summary + "; review them, then: cutover sql check --plan " + out);
        }
        return 0;
    }

    private static Endpoint endpoint(String url, String user, String passwordVariable) {
        return new Endpoint(url, user, System.getenv(passwordVariable));
    }

    /** Writes the whole file or nothing: through a temporary file next to it. */
    private static void write(Path file, String text) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".draft-", ".yaml");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CutoverException.usage(file + ": cannot write the plan (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move took it, or nothing more can be done
                }
            }
        }
    }
}
