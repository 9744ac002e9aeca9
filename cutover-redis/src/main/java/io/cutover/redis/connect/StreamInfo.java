package io.cutover.redis.connect;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What XINFO STREAM, XINFO GROUPS and XINFO CONSUMERS report (RESP2 replies read with the byte[] codec: alternating
 * names and values). Fields a server version does not report come back null: 5.0–6.2 have no entries-added,
 * max-deleted-entry-id or entries-read; 7.0 reports entries-read as null when it does not know it.
 */
public final class StreamInfo {
    private StreamInfo() {
    }

    /** The stream itself: its last-generated-id, and on 7.0+ entries-added and max-deleted-entry-id. */
    public record Stream(String lastGeneratedId, Long entriesAdded, String maxDeletedEntryId) {
    }

    /** One consumer group: name, last-delivered-id, PEL size and (7.0+, may be unknown) entries-read. */
    public record Group(byte[] name, String lastDeliveredId, long pending, Long entriesRead) {
    }

    /** One consumer of a group and how many entries it has pending. */
    public record Consumer(byte[] name, long pending) {
    }

    /** Parses an XINFO STREAM reply. */
    public static Stream stream(List<?> reply) {
        Map<String, Object> f = fields(reply);
        return new Stream(text(f.get("last-generated-id")), number(f.get("entries-added")), text(f.get("max-deleted-entry-id")));
    }

    /** Parses an XINFO GROUPS reply, in the server's order (by name). */
    public static List<Group> groups(List<?> reply) {
        List<Group> out = new ArrayList<>(reply.size());
        for (Object o : reply) {
            Map<String, Object> f = fields((List<?>) o);
            Long pending = number(f.get("pending"));
            out.add(new Group((byte[]) f.get("name"), text(f.get("last-delivered-id")), pending == null ? 0 : pending,
                    number(f.get("entries-read"))));
        }
        return out;
    }

    /** Parses an XINFO CONSUMERS reply. */
    public static List<Consumer> consumers(List<?> reply) {
        List<Consumer> out = new ArrayList<>(reply.size());
        for (Object o : reply) {
            Map<String, Object> f = fields((List<?>) o);
            Long pending = number(f.get("pending"));
            out.add(new Consumer((byte[]) f.get("name"), pending == null ? 0 : pending));
        }
        return out;
    }

    /**
     * A stream's state beyond its entries as bytes to digest, from its XINFO STREAM and XINFO GROUPS replies: the
     * last-generated-id and each group's name, last-delivered-id and pending count, which every server with streams
     * (5.0+) reports (entries-read and consumers are left out: 7.0+ only, or lost by design on older targets).
     */
    public static byte[] state(List<?> stream, List<?> groups) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(String.valueOf(stream(stream).lastGeneratedId()).getBytes(StandardCharsets.US_ASCII));
        for (Group g : groups(groups)) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(g.name().length).array());
            out.writeBytes(g.name());
            out.writeBytes((" " + g.lastDeliveredId() + " " + g.pending() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** The name → value pairs of one reply; values stay as Lettuce gave them (byte[], Long, List or null). */
    static Map<String, Object> fields(List<?> reply) {
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            Object name = reply.get(i);
            String n = name instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : String.valueOf(name);
            out.put(n, reply.get(i + 1));
        }
        return out;
    }

    private static String text(Object v) {
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.US_ASCII);
        }
        return v == null ? null : v.toString();
    }

    private static Long number(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof byte[] b) {
            try {
                return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * The smallest stream id after {@code id} ("5-3" → "5-4", "5-18446744073709551615" → "6-0"): paging with it works
     * on servers without exclusive ranges (before 6.2). Both parts are unsigned 64-bit numbers.
     */
    public static String nextId(String id) {
        int dash = id.indexOf('-');
        long ms = Long.parseUnsignedLong(id.substring(0, dash));
        long seq = Long.parseUnsignedLong(id.substring(dash + 1));
        return seq == -1L ? Long.toUnsignedString(ms + 1) + "-0" : Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq + 1);
    }
}
