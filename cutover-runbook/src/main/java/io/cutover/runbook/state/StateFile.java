package io.cutover.runbook.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cutover.core.error.CutoverException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The runs of a runbook in one JSON file, rewritten whole after every transition: written to a temporary file
 * beside it, forced to disk, then renamed over it. A rename is atomic, so a SIGKILL or a lost machine leaves
 * either the previous or the new state, never a torn one, and any reader (status, report, another terminal)
 * gets a consistent snapshot with one read. The file stays small (output is capped per step), so rewriting it
 * costs less than replaying an append-only log would.
 */
public final class StateFile {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;

    public StateFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The recorded runs; an empty history when the file does not exist yet. */
    public History load(String runbook) {
        try {
            return MAPPER.readValue(Files.readAllBytes(path), History.class);
        } catch (NoSuchFileException e) {
            return new History(runbook, List.of());
        } catch (IOException e) {
            throw CutoverException.usage(path + ": not a runbook state file (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** Replaces the file with {@code h}, atomically and durably. */
    public synchronized void save(History h) {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(h);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CutoverException.runtime("cannot record the run in " + path + ": " + e.getMessage(), e);
        }
    }

    /** The JSON mapper of the state file, for the inbox beside it. */
    static ObjectMapper mapper() {
        return MAPPER;
    }
}
