package io.cutover.runbook.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cutover.core.error.CutoverException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Decisions made in another terminal ({@code cutover runbook done/confirm}) on their way to the running
 * runbook: one JSON line each in a file beside the state file. Both sides hold a file lock, and the runbook takes
 * every line and empties the file in one locked step, so that no decision is lost or applied twice.
 */
public final class Inbox {
    private final Path path;

    public Inbox(Path stateFile) {
        this.path = stateFile.resolveSibling(stateFile.getFileName() + ".inbox");
    }

    public Path path() {
        return path;
    }

    /** Appends one decision. */
    public void post(Decision d) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
             FileLock ignored = lock(ch)) {
            ch.write(ByteBuffer.wrap((StateFile.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(d) + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw CutoverException.runtime("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file lock. It keeps other processes out; within one process (a test, or a demo that decides from the
     * runbook's own JVM) the JVM refuses a second lock on the same file at once instead of waiting, so that case
     * waits here.
     */
    private static FileLock lock(FileChannel ch) throws IOException {
        for (int i = 0; ; i++) {
            try {
                return ch.lock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                if (i == 500) {
                    throw e;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the inbox lock");
                }
            }
        }
    }

    /** Every waiting decision, removed from the file. */
    public List<Decision> take() {
        if (!path.toFile().exists()) {
            return List.of();
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock ignored = lock(ch)) {
            ByteBuffer b = ByteBuffer.allocate((int) ch.size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read all
            }
            ch.truncate(0);
            ch.force(true);
            List<Decision> out = new ArrayList<>();
            for (String line : new String(b.array(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    try {
                        out.add(StateFile.mapper().readValue(line, Decision.class));
                    } catch (JsonProcessingException e) {
                        // a line torn by a crash of the writer carries no decision
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw CutoverException.runtime("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
