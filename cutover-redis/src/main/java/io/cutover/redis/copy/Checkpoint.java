package io.cutover.redis.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * The --checkpoint file: per source database the SCAN cursor up to which every key is confirmed on the target,
 * and the counters of those keys. Written atomically (temporary file, then rename) so a kill never leaves half a file.
 *
 * @param version   file format version (1)
 * @param source    source address
 * @param target    target address
 * @param job       what was copied (selection, db mapping, mode, replace): a resume must copy the same
 * @param databases source db → position
 * @param totals    counters of the confirmed keys
 */
record Checkpoint(int version, String source, String target, String job, Map<Integer, Position> databases,
                  BatchResult totals) {

    /** Where the scan of one source database stands. */
    record Position(String cursor, boolean done) {
    }

    /** Reads {@code file}; empty when it does not exist yet. */
    /** The checkpoint file of one primary of a cluster source: FILE.HOST-PORT beside FILE. */
    static Path forNode(Path file, io.cutover.redis.connect.RedisUri node) {
        return file.resolveSibling(file.getFileName() + "." + node.host().replace(':', '_') + "-" + node.port());
    }

    static Optional<Checkpoint> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Checkpoint c = Json.mapper().readValue(Files.readString(file), Checkpoint.class);
            if (c.version() != 1 || c.databases() == null || c.totals() == null) {
                throw CutoverException.usage("--checkpoint " + file + ": not a cutover copy checkpoint");
            }
            return Optional.of(c);
        } catch (JsonProcessingException e) {
            throw CutoverException.usage("--checkpoint " + file + ": not a cutover copy checkpoint ("
                    + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw CutoverException.usage("--checkpoint " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Writes this checkpoint to {@code file} atomically. */
    void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, Json.write(this));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw CutoverException.runtime("--checkpoint " + file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Checks that {@code file} can be written, before anything is copied. */
    static void checkWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw CutoverException.usage("--checkpoint " + file + ": directory " + dir + " is not writable");
        }
    }
}
