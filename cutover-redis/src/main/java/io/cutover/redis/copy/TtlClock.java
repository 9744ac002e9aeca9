package io.cutover.redis.copy;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.ServerInfo;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.api.StatefulRedisConnection;

import io.cutover.redis.connect.RespPipe;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Turns a TTL read on the source ({@code PTTL}) into the expiry a write sent later must carry, so that a value
 * transferred after big ones in the same batch doesn't arrive with a TTL counted from the batch's start.
 * <ul>
 * <li>Where the target's clock could be read ({@code TIME}) and it takes absolute expiries ({@code RESTORE … ABSTTL}
 *     5.0+, {@code SET … PXAT} 6.2+, {@code PEXPIREAT} always), the expiry is absolute: when the TTL arrived plus
 *     the TTL, on the target's clock. Time the target spends loading earlier values in the pipeline doesn't count.</li>
 * <li>Otherwise the TTL is the one read minus the time since it arrived, computed when the write is queued.</li>
 * </ul>
 * Both count from a moment just after the source read the TTL. The DUMP/RESTORE path sends {@code TIME} right behind
 * a batch's PTTLs, in the same write as the DUMPs, and stamps the batch with that time on our clock ({@link #stampAt};
 * the source's offset is measured once per connection): the stamp is exact however long the payloads before it in
 * the reply stream take. The other paths read TTLs in a round trip of their own and count from their arrival.
 * Either way the expiry written is never earlier than the source's (a lock never expires sooner on the target), and
 * later by at most a round trip.
 */
public final class TtlClock {
    private static final byte[] TIME = RespPipe.ascii("TIME");

    /** When a batch's TTLs were asked for. */
    public record Stamp(long nanos, long wallMillis) {
    }

    private final boolean known;
    private final long offsetMillis;
    private final boolean restoreAbs;
    private final boolean setAbs;

    private TtlClock(boolean known, long offsetMillis, ServerInfo target) {
        this.known = known;
        this.offsetMillis = offsetMillis;
        this.restoreAbs = known && target != null && target.atLeast(5, 0);
        this.setAbs = known && target != null && target.atLeast(6, 2);
    }

    /** Reads the target's clock once (TIME); relative TTLs only when that fails. */
    public static TtlClock forTarget(RedisEndpoint target) {
        if (target.cluster()) {
            // each primary has its own clock; relative TTLs need none of them
            return relative();
        }
        try (StatefulRedisConnection<byte[], byte[]> c = target.connect(0)) {
            long before = System.currentTimeMillis();
            List<byte[]> time = c.sync().time();
            long after = System.currentTimeMillis();
            long targetMillis = Long.parseLong(new String(time.get(0))) * 1000
                    + Long.parseLong(new String(time.get(1))) / 1000;
            // the target read its clock at some local moment in [before, after]: taking the earliest makes the
            // offset, and so every absolute expiry written, late rather than early by at most that round trip
            return new TtlClock(true, targetMillis - before, target.info());
        } catch (RuntimeException e) {
            return relative();
        }
    }

    /** Relative TTLs only (dry runs, clusters, a target refusing TIME). */
    static TtlClock relative() {
        return new TtlClock(false, 0, null);
    }

    /** Call right after the TTL reads have arrived. */
    public static Stamp stamp() {
        return new Stamp(System.nanoTime(), System.currentTimeMillis());
    }

    /**
     * How far a source's clock is ahead of ours (ms), from one {@code TIME} round trip on {@code pipe}; empty when
     * the source refuses TIME. The source read its clock before its reply arrived: counting from the arrival
     * makes stamps from {@link #stampAt} late rather than early, by at most that round trip.
     */
    public static OptionalLong sourceOffset(RespPipe pipe) throws IOException {
        pipe.command(TIME);
        pipe.flush();
        try {
            long sourceMillis = pipe.timeMillis();
            return OptionalLong.of(sourceMillis - System.currentTimeMillis());
        } catch (RespPipe.ReplyError e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The stamp of TTLs a source read just before answering a {@code TIME} of {@code sourceMillis} (its clock):
     * the moment the source read them, on our clock, however long big values in the same reply stream delayed
     * their arrival here.
     */
    public static Stamp stampAt(long sourceMillis, long sourceOffset) {
        long wall = sourceMillis - sourceOffset;
        long nowWall = System.currentTimeMillis();
        return new Stamp(System.nanoTime() - (nowWall - wall) * 1_000_000, wall);
    }

    /** Whether RESTORE gets an absolute expiry ({@link #restoreTtl} with ABSTTL). */
    public boolean absolute() {
        return restoreAbs;
    }

    /**
     * The TTL argument of a RESTORE sent now for a key whose PTTL {@code pttl} was read at {@code read}: 0 for no
     * expiry; an absolute unix time in ms on the target's clock when {@link #absolute()}; else the milliseconds left
     * (at least 1).
     */
    public long restoreTtl(Stamp read, long pttl) {
        if (pttl < 0) {
            return 0;
        }
        return restoreAbs ? at(read, pttl) : remaining(read, pttl);
    }

    /** The expiry of a SET sent now ({@code PXAT} where the target has it, else {@code PX}); pttl &gt; 0. */
    public void expire(SetArgs args, Stamp read, long pttl) {
        if (setAbs) {
            args.pxAt(at(read, pttl));
        } else {
            args.px(remaining(read, pttl));
        }
    }

    /** Sets the expiry of {@code key} on the target ({@code PEXPIREAT} when the clock is known); pttl &gt; 0. */
    public void expire(RedisClusterAsyncCommands<byte[], byte[]> target, byte[] key, Stamp read, long pttl) {
        if (known) {
            target.pexpireat(key, at(read, pttl));
        } else {
            target.pexpire(key, remaining(read, pttl));
        }
    }

    /** As {@link #expire(RedisClusterAsyncCommands, byte[], Stamp, long)}, synchronously. */
    public void expire(RedisClusterCommands<byte[], byte[]> target, byte[] key, Stamp read, long pttl) {
        if (known) {
            target.pexpireat(key, at(read, pttl));
        } else {
            target.pexpire(key, remaining(read, pttl));
        }
    }

    /**
     * Whether a RESTORE with a relative TTL is followed by a {@code PEXPIREAT} (targets before 5.0 whose clock is
     * known): the RESTORE of a key queued behind big values runs later than it was written, so its relative TTL
     * comes out long; the PEXPIREAT right behind it puts the exact expiry.
     */
    public boolean pexpireAtAfterRestore() {
        return known && !restoreAbs;
    }

    /** The absolute expiry (unix ms, target clock) of a TTL {@code pttl} read at {@code read}; needs a known clock. */
    public long at(Stamp read, long pttl) {
        return read.wallMillis() + offsetMillis + pttl;
    }

    /** The milliseconds left now of a TTL {@code pttl} read at {@code read} (at least 1). */
    public static long remaining(Stamp read, long pttl) {
        long elapsed = (System.nanoTime() - read.nanos()) / 1_000_000;
        return Math.max(1, pttl - elapsed);
    }
}
