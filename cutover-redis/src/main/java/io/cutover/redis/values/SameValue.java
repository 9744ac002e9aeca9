package io.cutover.redis.values;

import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.Replies;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * When a key holds the same Redis value on two servers — the one rule behind copy's "already there", verify and the
 * switch's check of the keys changed during a live copy. Equal DUMP payloads (same RDB version) prove it; payloads
 * that differ don't disprove it (equal values can be encoded differently: a hash grown past the listpack limit stays
 * a hashtable, whose DUMP order is per server), so then, and across versions, the type, the length and a canonical
 * digest read type-natively in chunks ({@link ValueDigest}) decide.
 */
public final class SameValue {
    private static final int GROUP = 64;

    private SameValue() {
    }

    /**
     * For each i, whether {@code keys[i]} on {@code source} and {@code targetKeys[i]} on {@code target} both exist
     * with the same type and value, compared type-natively (callers that compared DUMPs call this for the keys whose
     * payloads differed). {@code src} and {@code tgt} are connections to the right databases.
     */
    public static boolean[] compare(RedisEndpoint source, KeyedConnection src, List<byte[]> keys,
                                    RedisEndpoint target, KeyedConnection tgt, List<byte[]> targetKeys) {
        int n = keys.size();
        List<RedisFuture<String>> st = new ArrayList<>(n);
        List<RedisFuture<String>> tt = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            st.add(src.async().type(keys.get(i)));
            tt.add(tgt.async().type(targetKeys.get(i)));
        }
        src.flushCommands();
        tgt.flushCommands();
        List<String> types = new ArrayList<>(n);
        List<Integer> sameType = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String a = Replies.await(source, st.get(i));
            String b = Replies.await(target, tt.get(i));
            types.add(a);
            if (a.equals(b) && !"none".equals(a)) {
                sameType.add(i);
            }
        }
        boolean[] same = new boolean[n];
        List<byte[]> sk = new ArrayList<>();
        List<byte[]> tk = new ArrayList<>();
        List<String> ty = new ArrayList<>();
        List<Long> len = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        long[][] lengths = lengths(source, src, target, tgt, keys, targetKeys, types, sameType);
        for (int j = 0; j < sameType.size(); j++) {
            int i = sameType.get(j);
            if (lengths[0][j] != lengths[1][j]) {
                continue;
            }
            if (!ValueDigest.supports(types.get(i))) {
                same[i] = sameDump(source, src, keys.get(i), target, tgt, targetKeys.get(i)); // module types: only DUMP can tell
                continue;
            }
            sk.add(keys.get(i));
            tk.add(targetKeys.get(i));
            ty.add(types.get(i));
            len.add(lengths[0][j]);
            at.add(i);
        }
        boolean[] digests = digestsEqual(source, src, sk, target, tgt, tk, ty, len);
        for (int j = 0; j < at.size(); j++) {
            same[at.get(j)] = digests[j];
        }
        return same;
    }

    /**
     * For each i, whether the canonical digests of {@code keys[i]} (source) and {@code targetKeys[i]} (target), both
     * of type {@code types[i]} with {@code lengths[i]} elements (-1: unknown), are equal. Many keys advance
     * together, one pipelined round trip per chunk.
     */
    public static boolean[] digestsEqual(RedisEndpoint source, KeyedConnection src, List<byte[]> keys,
                                         RedisEndpoint target, KeyedConnection tgt, List<byte[]> targetKeys,
                                         List<String> types, List<Long> lengths) {
        boolean[] same = new boolean[keys.size()];
        for (int from = 0; from < keys.size(); from += GROUP) {
            int to = Math.min(keys.size(), from + GROUP);
            List<ValueDigest> sj = new ArrayList<>(to - from);
            List<ValueDigest> tj = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                sj.add(new ValueDigest(keys.get(i), types.get(i), lengths.get(i)));
                tj.add(new ValueDigest(targetKeys.get(i), types.get(i), lengths.get(i)));
            }
            ValueDigest.computeAll(source, src, sj);
            ValueDigest.computeAll(target, tgt, tj);
            for (int i = from; i < to; i++) {
                same[i] = Arrays.equals(sj.get(i - from).result(), tj.get(i - from).result());
            }
        }
        return same;
    }

    /** The element count of a value of {@code type} (string: bytes), or null for a type without one. */
    public static RedisFuture<Long> length(RedisClusterAsyncCommands<byte[], byte[]> a, String type, byte[] key) {
        return switch (type) {
            case "string" -> a.strlen(key);
            case "hash" -> a.hlen(key);
            case "list" -> a.llen(key);
            case "set" -> a.scard(key);
            case "zset" -> a.zcard(key);
            case "stream" -> a.xlen(key);
            default -> null;
        };
    }

    private static long[][] lengths(RedisEndpoint source, KeyedConnection src, RedisEndpoint target, KeyedConnection tgt,
                                    List<byte[]> keys, List<byte[]> targetKeys, List<String> types, List<Integer> which) {
        List<RedisFuture<Long>> a = new ArrayList<>(which.size());
        List<RedisFuture<Long>> b = new ArrayList<>(which.size());
        for (int i : which) {
            a.add(length(src.async(), types.get(i), keys.get(i)));
            b.add(length(tgt.async(), types.get(i), targetKeys.get(i)));
        }
        src.flushCommands();
        tgt.flushCommands();
        long[][] out = new long[2][which.size()];
        for (int j = 0; j < which.size(); j++) {
            Long x = a.get(j) == null ? null : Replies.awaitOrNull(source, a.get(j));
            Long y = b.get(j) == null ? null : Replies.awaitOrNull(target, b.get(j));
            out[0][j] = x == null ? -1 : x;
            out[1][j] = y == null ? -1 : y;
        }
        return out;
    }

    private static boolean sameDump(RedisEndpoint source, KeyedConnection src, byte[] key,
                                    RedisEndpoint target, KeyedConnection tgt, byte[] targetKey) {
        RedisFuture<byte[]> a = src.async().dump(key);
        RedisFuture<byte[]> b = tgt.async().dump(targetKey);
        src.flushCommands();
        tgt.flushCommands();
        byte[] x = Replies.awaitOrNull(source, a);
        return x != null && Arrays.equals(x, Replies.awaitOrNull(target, b));
    }
}
