package io.cutover.redis.copy;

import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.ServerInfo;
import io.cutover.redis.connect.Replies;
import io.cutover.redis.connect.StreamInfo;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries what a type-native stream copy (XRANGE → XADD) leaves behind and DUMP/RESTORE would have kept: the
 * last-generated-id (7.0+ on both sides: entries-added and max-deleted-entry-id too), each consumer group with its
 * last-delivered-id (and entries-read on 7.0+), its pending entries (consumer, idle time, delivery count) and, on 6.2+
 * targets, its consumers with nothing pending. Pending entries whose stream entry was deleted can't be re-created
 * (XCLAIM needs the entry) and are left out.
 */
final class StreamGroupsCopier {
    /** Pending entries per XPENDING call and per pipelined batch of XCLAIMs. */
    static final int PENDING_CHUNK = 1000;
    /** The group that creates an empty stream (XGROUP CREATE … MKSTREAM) and is dropped at once. */
    private static final byte[] MKSTREAM_GROUP = "cutover-mkstream".getBytes(StandardCharsets.US_ASCII);

    /** XSETID: Lettuce has no method for it. */
    private enum Command implements ProtocolKeyword {
        XSETID;

        @Override
        public byte[] getBytes() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final ServerInfo sourceInfo;
    private final ServerInfo targetInfo;
    private final RateLimiter rate;

    StreamGroupsCopier(ServerInfo sourceInfo, ServerInfo targetInfo, RateLimiter rate) {
        this.sourceInfo = sourceInfo;
        this.targetInfo = targetInfo;
        this.rate = rate;
    }

    /**
     * Gives {@code temp} (holding the {@code entries} entries copied from {@code key}) the source stream's id state,
     * groups, pending entries and consumers; creates it empty when the source stream has no entries. False when the
     * source key is gone (nothing written then).
     */
    boolean copy(RedisClusterCommands<byte[], byte[]> src, KeyedConnection dst, byte[] key, byte[] temp, long entries) {
        rate.acquire(2); // --rate counts source commands only, as for the entries
        StreamInfo.Stream stream;
        List<StreamInfo.Group> groups;
        try {
            stream = StreamInfo.stream(src.xinfoStream(key));
            groups = StreamInfo.groups(src.xinfoGroups(key));
        } catch (RedisCommandExecutionException e) {
            if (String.valueOf(e.getMessage()).contains("no such key")) {
                return false; // deleted or expired while we read its entries
            }
            throw e;
        }
        RedisClusterCommands<byte[], byte[]> d = dst.sync();
        if (entries == 0) {
            // an empty stream (XGROUP CREATE … MKSTREAM, or everything deleted) still exists: create it the same way,
            // with a group dropped at once (an entry added and deleted would leave max-deleted-entry-id at 0-1, which
            // XSETID cannot lower, and Redis then reports every group's lag as unknown)
            d.xgroupCreate(XReadArgs.StreamOffset.from(temp, "$"), MKSTREAM_GROUP, new XGroupCreateArgs().mkstream(true));
            d.xgroupDestroy(temp, MKSTREAM_GROUP);
        }
        setId(d, temp, stream);
        boolean entriesRead = sourceInfo.atLeast(7, 0) && targetInfo.atLeast(7, 0);
        for (StreamInfo.Group g : groups) {
            XGroupCreateArgs args = new XGroupCreateArgs();
            if (entriesRead && g.entriesRead() != null) {
                args.entriesRead(g.entriesRead());
            }
            // a server that does not report the last-delivered-id: redelivering beats losing messages
            String from = g.lastDeliveredId() == null ? "0-0" : g.lastDeliveredId();
            d.xgroupCreate(XReadArgs.StreamOffset.from(temp, from), g.name(), args);
            if (g.pending() > 0) {
                copyPending(src, dst, key, temp, g.name());
            }
            if (targetInfo.atLeast(6, 2)) {
                copyConsumers(src, d, key, temp, g.name());
            }
        }
        return true;
    }

    /** XSETID: the id new XADD * entries follow, which XADD with explicit ids does not restore when the newest were deleted. */
    private void setId(RedisClusterCommands<byte[], byte[]> d, byte[] temp, StreamInfo.Stream stream) {
        if (stream.lastGeneratedId() == null) {
            return;
        }
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(temp).add(stream.lastGeneratedId());
        if (sourceInfo.atLeast(7, 0) && targetInfo.atLeast(7, 0) && stream.entriesAdded() != null
                && stream.maxDeletedEntryId() != null) {
            args.add("ENTRIESADDED").add(stream.entriesAdded()).add("MAXDELETEDID").add(stream.maxDeletedEntryId());
        }
        d.dispatch(Command.XSETID, new StatusOutput<>(ByteArrayCodec.INSTANCE), args);
    }

    /** Re-creates the group's pending entries list, one XCLAIM … FORCE JUSTID per entry, pipelined per chunk. */
    @SuppressWarnings("unchecked")
    private void copyPending(RedisClusterCommands<byte[], byte[]> src, KeyedConnection dst, byte[] key, byte[] temp, byte[] group) {
        String from = "-";
        while (true) {
            rate.acquire(1);
            // dispatched rather than xpending(): Lettuce decodes consumer names to String, they are binary-safe here
            List<Object> page = src.dispatch(CommandType.XPENDING, new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                    new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key).add(group).add(from).add("+").add(PENDING_CHUNK));
            List<RedisFuture<List<Object>>> claims = new ArrayList<>(page.size());
            for (Object o : page) {
                List<Object> p = (List<Object>) o; // id, consumer, idle ms, delivery count
                CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(temp).add(group)
                        .add((byte[]) p.get(1)).add(0).add((byte[]) p.get(0))
                        .add("IDLE").add((Long) p.get(2)).add("RETRYCOUNT").add((Long) p.get(3)).add("FORCE").add("JUSTID");
                claims.add(dst.async().dispatch(CommandType.XCLAIM, new ArrayOutput<>(ByteArrayCodec.INSTANCE), args));
            }
            // an entry deleted from the stream but still pending is not claimed (an empty reply): nothing to restore
            claims.forEach(Replies::awaitRaw);
            if (page.size() < PENDING_CHUNK) {
                return;
            }
            byte[] last = (byte[]) ((List<Object>) page.get(page.size() - 1)).get(0);
            from = StreamInfo.nextId(new String(last, StandardCharsets.US_ASCII));
        }
    }

    /** XGROUP CREATECONSUMER (6.2+) for every consumer: those without pending entries exist in no PEL. */
    private void copyConsumers(RedisClusterCommands<byte[], byte[]> src, RedisClusterCommands<byte[], byte[]> d, byte[] key,
                               byte[] temp, byte[] group) {
        rate.acquire(1);
        for (StreamInfo.Consumer c : StreamInfo.consumers(src.xinfoConsumers(key, group))) {
            d.xgroupCreateconsumer(temp, Consumer.from(group, c.name()));
        }
    }
}
