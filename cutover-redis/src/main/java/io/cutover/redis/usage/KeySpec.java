package io.cutover.redis.usage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Where a command's keys are among its arguments, and whether it reads or writes them. Positions count the
 * arguments after the command name from 1, as {@code COMMAND INFO} does; a negative last position counts from the
 * end (-1: the last argument, -2: all but the last).
 */
sealed interface KeySpec {

    /** Whether the keys found are read or written. */
    Access access();

    /** Hands each key of {@code args} (args[0] is the command name) with its access to {@code key}. */
    void keys(List<byte[]> args, BiConsumer<byte[], Access> key);

    /** Keys at first, first+step, … up to last. */
    record Range(Access access, int first, int last, int step) implements KeySpec {
        @Override
        public void keys(List<byte[]> args, BiConsumer<byte[], Access> key) {
            int n = args.size() - 1;
            int end = last < 0 ? n + 1 + last : Math.min(last, n);
            for (int i = first; i <= end; i += step) {
                key.accept(args.get(i), access);
            }
        }
    }

    /** A count of keys at {@code at}, the keys right after it (ZUNIONSTORE, ZINTER, LMPOP…). */
    record NumKeys(Access access, int at) implements KeySpec {
        @Override
        public void keys(List<byte[]> args, BiConsumer<byte[], Access> key) {
            if (at >= args.size()) {
                return;
            }
            long count = number(args.get(at));
            for (int i = at + 1; i < args.size() && i <= at + count; i++) {
                key.accept(args.get(i), access);
            }
        }
    }

    /** The first half of what follows the STREAMS keyword (XREAD, XREADGROUP: keys, then as many ids). */
    record Streams(Access access) implements KeySpec {
        @Override
        public void keys(List<byte[]> args, BiConsumer<byte[], Access> key) {
            for (int i = 1; i < args.size(); i++) {
                if (is(args.get(i), "streams")) {
                    int rest = args.size() - i - 1;
                    for (int j = i + 1; j <= i + rest / 2; j++) {
                        key.accept(args.get(j), access);
                    }
                    return;
                }
            }
        }
    }

    /** The argument after a keyword (SORT … STORE dest, GEORADIUS … STOREDIST dest). */
    record AfterKeyword(Access access, String keyword) implements KeySpec {
        @Override
        public void keys(List<byte[]> args, BiConsumer<byte[], Access> key) {
            for (int i = 2; i + 1 < args.size(); i++) {
                if (is(args.get(i), keyword)) {
                    key.accept(args.get(i + 1), access);
                    i++;
                }
            }
        }
    }

    private static boolean is(byte[] arg, String word) {
        return new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
    }

    private static long number(byte[] arg) {
        try {
            return Long.parseLong(new String(arg, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
