package io.cutover.redis.usage;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.cutover.redis.usage.Access.READ;
import static io.cutover.redis.usage.Access.WRITE;

/**
 * Redis commands by name: which of their arguments are keys and whether they read or write them (as the server's
 * own {@code write}/{@code readonly} command flags say), the commands that take no key, and the script calls whose
 * inner commands MONITOR shows on their own lines. Covers the data commands of 2.8 to 7.x.
 */
final class CommandTable {

    /** What a command is, for counting. */
    enum Kind {
        /** Reads or writes the keys its {@link KeySpec}s name. */
        KEYED,
        /** Takes no key (PING, SELECT, CLIENT, INFO, SCAN…): not counted. */
        KEYLESS,
        /** EVAL, FCALL…: MONITOR shows the commands the script runs, attributed to its caller. */
        SCRIPT,
        /** Not in this table: counted by name so the report can say what it could not place. */
        UNKNOWN
    }

    /** A command's kind and, for {@link Kind#KEYED}, where its keys are. */
    record Command(Kind kind, List<KeySpec> keys) {
        /** WRITE when any of its keys is written, READ when it only reads keys, empty otherwise. */
        Optional<Access> access() {
            if (kind != Kind.KEYED) {
                return Optional.empty();
            }
            return Optional.of(keys.stream().anyMatch(k -> k.access() == WRITE) ? WRITE : READ);
        }
    }

    private static final Command UNKNOWN = new Command(Kind.UNKNOWN, List.of());
    private static final Map<String, Command> COMMANDS = build();

    private CommandTable() {
    }

    /** The command named {@code name} (any case). */
    static Command lookup(String name) {
        return COMMANDS.getOrDefault(name.toLowerCase(Locale.ROOT), UNKNOWN);
    }

    private static Map<String, Command> build() {
        Map<String, Command> m = new HashMap<>();
        // one key, the first argument
        one(m, READ, "get", "getrange", "substr", "strlen", "getbit", "bitcount", "bitpos", "bitfield_ro",
                "type", "ttl", "pttl", "expiretime", "pexpiretime", "dump",
                "hget", "hmget", "hgetall", "hkeys", "hvals", "hlen", "hexists", "hstrlen", "hscan", "hrandfield",
                "lrange", "lindex", "llen", "lpos",
                "smembers", "sismember", "smismember", "scard", "srandmember", "sscan",
                "zrange", "zrangebyscore", "zrevrange", "zrevrangebyscore", "zrangebylex", "zrevrangebylex", "zscore",
                "zmscore", "zrank", "zrevrank", "zcard", "zcount", "zlexcount", "zscan", "zrandmember",
                "geopos", "geodist", "geohash", "geosearch", "georadius_ro", "georadiusbymember_ro",
                "xrange", "xrevrange", "xlen", "xpending", "sort_ro");
        one(m, WRITE, "set", "setex", "psetex", "setnx", "setrange", "append", "incr", "incrby", "incrbyfloat", "decr",
                "decrby", "getset", "getdel", "getex", "setbit", "bitfield",
                "expire", "pexpire", "expireat", "pexpireat", "persist", "restore", "restore-asking", "move",
                "hset", "hsetnx", "hmset", "hdel", "hincrby", "hincrbyfloat",
                "lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "lset", "linsert", "lrem", "ltrim",
                "sadd", "srem", "spop",
                "zadd", "zrem", "zincrby", "zremrangebyscore", "zremrangebyrank", "zremrangebylex", "zpopmin", "zpopmax",
                "geoadd", "pfadd",
                "xadd", "xdel", "xtrim", "xack", "xclaim", "xautoclaim", "xsetid");
        // every argument is a key
        all(m, READ, "mget", "exists", "touch", "sinter", "sunion", "sdiff", "pfcount");
        all(m, WRITE, "del", "unlink");
        put(m, "mset", new KeySpec.Range(WRITE, 1, -1, 2));
        put(m, "msetnx", new KeySpec.Range(WRITE, 1, -1, 2));
        // the last argument is a timeout
        for (String c : List.of("blpop", "brpop", "bzpopmin", "bzpopmax")) {
            put(m, c, new KeySpec.Range(WRITE, 1, -2, 1));
        }
        // two keys, both changed
        for (String c : List.of("rename", "renamenx", "rpoplpush", "brpoplpush", "lmove", "blmove", "smove")) {
            put(m, c, new KeySpec.Range(WRITE, 1, 2, 1));
        }
        put(m, "lcs", new KeySpec.Range(READ, 1, 2, 1));
        put(m, "copy", new KeySpec.Range(READ, 1, 1, 1), new KeySpec.Range(WRITE, 2, 2, 1));
        // a destination, then the keys read
        for (String c : List.of("sinterstore", "sunionstore", "sdiffstore", "pfmerge")) {
            put(m, c, new KeySpec.Range(WRITE, 1, 1, 1), new KeySpec.Range(READ, 2, -1, 1));
        }
        put(m, "zrangestore", new KeySpec.Range(WRITE, 1, 1, 1), new KeySpec.Range(READ, 2, 2, 1));
        put(m, "geosearchstore", new KeySpec.Range(WRITE, 1, 1, 1), new KeySpec.Range(READ, 2, 2, 1));
        put(m, "bitop", new KeySpec.Range(WRITE, 2, 2, 1), new KeySpec.Range(READ, 3, -1, 1));
        // a count of keys, then the keys
        for (String c : List.of("zunionstore", "zinterstore", "zdiffstore")) {
            put(m, c, new KeySpec.Range(WRITE, 1, 1, 1), new KeySpec.NumKeys(READ, 2));
        }
        for (String c : List.of("zunion", "zinter", "zdiff", "zintercard", "sintercard")) {
            put(m, c, new KeySpec.NumKeys(READ, 1));
        }
        put(m, "lmpop", new KeySpec.NumKeys(WRITE, 1));
        put(m, "zmpop", new KeySpec.NumKeys(WRITE, 1));
        put(m, "blmpop", new KeySpec.NumKeys(WRITE, 2));
        put(m, "bzmpop", new KeySpec.NumKeys(WRITE, 2));
        // keys after a keyword
        put(m, "xread", new KeySpec.Streams(READ));
        put(m, "xreadgroup", new KeySpec.Streams(WRITE)); // it moves the group's cursor: a write, as the server says
        put(m, "sort", new KeySpec.Range(READ, 1, 1, 1), new KeySpec.AfterKeyword(WRITE, "store"));
        for (String c : List.of("georadius", "georadiusbymember")) {
            put(m, c, new KeySpec.Range(READ, 1, 1, 1), new KeySpec.AfterKeyword(WRITE, "store"),
                    new KeySpec.AfterKeyword(WRITE, "storedist"));
        }
        // a subcommand, then the key
        put(m, "object", new KeySpec.Range(READ, 2, 2, 1));
        put(m, "xinfo", new KeySpec.Range(READ, 2, 2, 1));
        put(m, "xgroup", new KeySpec.Range(WRITE, 2, 2, 1));
        for (String c : List.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro")) {
            m.put(c, new Command(Kind.SCRIPT, List.of()));
        }
        for (String c : List.of("ping", "echo", "select", "auth", "hello", "quit", "reset", "client", "info", "command",
                "config", "debug", "scan", "randomkey", "dbsize", "time", "lastsave", "save", "bgsave", "bgrewriteaof",
                "multi", "exec", "discard", "watch", "unwatch", "publish", "spublish", "subscribe", "unsubscribe",
                "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "pubsub", "script", "function", "slowlog",
                "latency", "memory", "cluster", "readonly", "readwrite", "asking", "wait", "waitaof", "role", "monitor",
                "sync", "psync", "replconf", "replicaof", "slaveof", "flushdb", "flushall", "swapdb", "shutdown",
                "acl", "module", "object", "lolwut", "failover")) {
            m.putIfAbsent(c, new Command(Kind.KEYLESS, List.of()));
        }
        return Map.copyOf(m);
    }

    private static void one(Map<String, Command> m, Access access, String... names) {
        for (String n : names) {
            put(m, n, new KeySpec.Range(access, 1, 1, 1));
        }
    }

    private static void all(Map<String, Command> m, Access access, String... names) {
        for (String n : names) {
            put(m, n, new KeySpec.Range(access, 1, -1, 1));
        }
    }

    private static void put(Map<String, Command> m, String name, KeySpec... keys) {
        if (m.put(name, new Command(Kind.KEYED, List.of(keys))) != null) {
            throw new IllegalStateException("command listed twice: " + name);
        }
    }
}
