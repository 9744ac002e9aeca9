package io.cutover.redis.copy;

import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Bytes;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.select.KeyNames;

/**
 * A write the target refused for a limit of its own: its {@code maxmemory} (with a policy that evicts nothing) or its
 * {@code proto-max-bulk-len}. Every later write would fail the same way, so the copy ends (exit 3) with one line that
 * names the server, the key, its size and the setting to change. Keys already copied stay; a rerun counts them as
 * unchanged.
 */
final class MemoryLimit {
    /** Redis's default proto-max-bulk-len: the biggest argument a command may carry. */
    static final long DEFAULT_PROTO_MAX_BULK_LEN = 512L << 20;

    private MemoryLimit() {
    }

    /** Whether a write's error reply says the target's memory is full ({@code OOM command not allowed …}). */
    static boolean outOfMemory(String error) {
        return error != null && error.startsWith("OOM");
    }

    /** Whether an error reply says an argument was longer than the target's proto-max-bulk-len. */
    static boolean bulkTooLong(String error) {
        return error != null && (error.contains("Protocol error") && error.contains("bulk length")
                || error.contains("proto-max-bulk-len"));
    }

    /** The copy's end when the target is out of memory writing {@code key} of {@code bytes} (-1: not known). */
    static CutoverException targetFull(RedisEndpoint target, int sourceDb, byte[] key, long bytes, String error) {
        return CutoverException.runtime("target " + target.uri().address() + " is out of memory: it refused key "
                + KeyNames.display(key) + " (source db " + sourceDb + size(bytes) + ") with \"" + error + "\"; raise the "
                + "target's maxmemory (or free memory there), then run the copy again: keys already copied count as "
                + "unchanged");
    }

    /**
     * The copy's end when the target refused {@code key} ({@code bytes}: its DUMP payload, or -1) as longer than its
     * proto-max-bulk-len, which caps both one argument (a RESTORE's payload) and a string's length.
     */
    static CutoverException tooLong(RedisEndpoint target, int sourceDb, byte[] key, long bytes, String what) {
        return CutoverException.runtime("target " + target.uri().address() + " " + what + " key " + KeyNames.display(key)
                + " (source db " + sourceDb + size(bytes) + "): longer than the target's proto-max-bulk-len ("
                + Bytes.human(DEFAULT_PROTO_MAX_BULK_LEN) + " unless configured); raise proto-max-bulk-len on the "
                + "target (it also caps a string's length), or, for a hash, list, set, sorted set or stream, copy with "
                + "--mode struct, which writes it in pieces");
    }

    private static String size(long bytes) {
        return bytes < 0 ? "" : ", " + Bytes.human(bytes) + (bytes >= 1024 ? " = " + bytes + " bytes" : "");
    }
}
