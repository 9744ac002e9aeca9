package io.cutover.cli.runbook;

import io.cutover.cli.Cutover;
import io.cutover.runbook.run.CommandRunner;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** Runs a runbook's {@code cutover:} steps through {@link Cutover#execute}, in this process. */
final class InProcessCommands implements CommandRunner {
    @Override
    public int run(List<String> args, Consumer<String> lines) {
        try (PrintStream sink = new PrintStream(new Lines(lines), true, StandardCharsets.UTF_8)) {
            return Cutover.execute(sink, sink, args.toArray(String[]::new));
        }
    }

    /** Hands each complete line written to it to a consumer. */
    private static final class Lines extends OutputStream {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                emit();
            } else if (b != '\r') {
                line.write(b);
            }
        }

        private void emit() {
            lines.accept(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }

        @Override
        public synchronized void close() {
            if (line.size() > 0) {
                emit();
            }
        }
    }
}
