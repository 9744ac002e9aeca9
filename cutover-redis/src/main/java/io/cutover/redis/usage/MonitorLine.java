package io.cutover.redis.usage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code MONITOR} output: {@code 1796573703.328279 [3 127.0.0.1:53056] "set" "sp ace" "x\\y"}.
 * Redis 2.6 and later name the database and the client ({@code [0 lua]} inside a script, {@code [0 unix:/path]} on
 * a socket); 2.4 and older print {@code (db 0)} and no client. Every argument is quoted the way {@code sdscatrepr}
 * does it ({@code \\ \" \n \r \t \a \b \xHH}), which this undoes, so binary keys come back byte for byte.
 *
 * @param time     the server's clock when the command ran
 * @param db       the client's database
 * @param client   the client's address ({@code ip:port}), {@code lua}, {@code unix:…}, or empty when not given
 * @param args     the command name and its arguments
 * @param complete false when the line was cut short (too long to keep whole): its last arguments are missing
 */
record MonitorLine(Instant time, int db, String client, List<byte[]> args, boolean complete) {

    /** The client MONITOR names for commands a script runs. */
    static final String SCRIPT_CLIENT = "lua";

    /** The command name, lower case. */
    String command() {
        return new String(args.get(0), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Parses {@code line[0, length)}; {@code cut} says the line went on beyond it (then the last, unfinished
     * argument is dropped). A line that is not MONITOR output is an {@link IllegalArgumentException}.
     */
    static MonitorLine parse(byte[] line, int length, boolean cut) {
        int at = 0;
        int space = indexOf(line, length, (byte) ' ', 0);
        if (space < 0) {
            throw bad(line, length);
        }
        Instant time = timestamp(new String(line, 0, space, StandardCharsets.US_ASCII), line, length);
        at = space + 1;
        int db;
        String client;
        if (at < length && line[at] == '[') {
            // "[db addr] " — an IPv6 address is itself bracketed, so the header ends at the first "] \""
            int end = indexOf(line, length, "] \"", at);
            int sp = indexOf(line, length, (byte) ' ', at);
            if (end < 0 || sp < 0 || sp > end) {
                throw bad(line, length);
            }
            db = number(line, at + 1, sp, line, length);
            client = new String(line, sp + 1, end - sp - 1, StandardCharsets.ISO_8859_1);
            at = end + 2;
        } else if (startsWith(line, length, "(db ", at)) {
            int end = indexOf(line, length, (byte) ')', at);
            if (end < 0) {
                throw bad(line, length);
            }
            db = number(line, at + 4, end, line, length);
            client = "";
            at = end + 2;
        } else {
            throw bad(line, length);
        }
        List<byte[]> args = new ArrayList<>();
        java.io.ByteArrayOutputStream arg = new java.io.ByteArrayOutputStream();
        while (at < length) {
            if (line[at] != '"') {
                throw bad(line, length);
            }
            at++;
            arg.reset();
            boolean closed = false;
            while (at < length) {
                byte c = line[at++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c != '\\') {
                    arg.write(c);
                    continue;
                }
                if (at >= length) {
                    break;
                }
                byte e = line[at++];
                switch (e) {
                    case 'n' -> arg.write('\n');
                    case 'r' -> arg.write('\r');
                    case 't' -> arg.write('\t');
                    case 'a' -> arg.write(7);
                    case 'b' -> arg.write('\b');
                    case 'x' -> {
                        if (at + 2 > length) {
                            at = length;
                            continue;
                        }
                        arg.write(hex(line[at], line, length) << 4 | hex(line[at + 1], line, length));
                        at += 2;
                    }
                    default -> arg.write(e); // \\ and \"
                }
            }
            if (!closed) {
                if (!cut) {
                    throw bad(line, length);
                }
                break;
            }
            args.add(arg.toByteArray());
            if (at < length) {
                if (line[at] != ' ') {
                    throw bad(line, length);
                }
                at++;
            }
        }
        if (args.isEmpty()) {
            throw bad(line, length);
        }
        return new MonitorLine(time, db, client, List.copyOf(args), !cut);
    }

    private static Instant timestamp(String s, byte[] line, int length) {
        int dot = s.indexOf('.');
        try {
            long seconds = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
            String frac = dot < 0 ? "" : s.substring(dot + 1);
            long nanos = frac.isEmpty() ? 0 : Long.parseLong((frac + "000000000").substring(0, 9));
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (NumberFormatException e) {
            throw bad(line, length);
        }
    }

    private static int number(byte[] b, int from, int to, byte[] line, int length) {
        try {
            return Integer.parseInt(new String(b, from, to - from, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw bad(line, length);
        }
    }

    private static int hex(byte c, byte[] line, int length) {
        int v = Character.digit(c, 16);
        if (v < 0) {
            throw bad(line, length);
        }
        return v;
    }

    private static int indexOf(byte[] b, int length, byte c, int from) {
        for (int i = from; i < length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, int length, String s, int from) {
        for (int i = from; i + s.length() <= length; i++) {
            if (startsWith(b, length, s, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int length, String s, int at) {
        if (at + s.length() > length) {
            return false;
        }
        for (int j = 0; j < s.length(); j++) {
            if (b[at + j] != s.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException bad(byte[] line, int length) {
        String text = new String(line, 0, Math.min(length, 120), StandardCharsets.ISO_8859_1);
        return new IllegalArgumentException("not a MONITOR line: " + text + (length > 120 ? "…" : ""));
    }
}
