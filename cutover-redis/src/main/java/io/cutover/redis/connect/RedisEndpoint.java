package io.cutover.redis.connect;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.select.SlotRanges;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * One Redis server or Redis Cluster we talk to (source or target): opens binary-safe Lettuce connections and reads
 * {@link ServerInfo}. A cluster (detected from INFO, or asserted with {@code cluster = true}) is also seen as its
 * primaries ({@link #nodes()}), each a standalone-looking endpoint, and as one {@link KeyedConnection} routing by
 * slot. Owns its Lettuce clients; close it when done.
 */
public final class RedisEndpoint implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final RedisUri uri;
    private final String role;
    private final RedisClient client;
    private final TlsOptions tls;
    private final Shape shape;
    private volatile ServerInfo info;
    private ClusterTopology topology;
    private List<RedisEndpoint> nodes;
    private RedisClusterClient clusterClient;
    private SSLContext sslContext;

    /** How this endpoint is treated: as INFO says, as a cluster whatever INFO says, or as one node of a cluster. */
    private enum Shape { DETECT, CLUSTER, NODE }

    /** An endpoint for {@code uri}; {@code role} ("source", "target") names it in messages. */
    public RedisEndpoint(RedisUri uri, String role, TlsOptions tls) {
        this(uri, role, tls, false);
    }

    /**
     * An endpoint for {@code uri}; with {@code cluster} it must be a Redis Cluster (--source-cluster,
     * --target-cluster), otherwise INFO decides.
     */
    public RedisEndpoint(RedisUri uri, String role, TlsOptions tls, boolean cluster) {
        this(uri, role, tls, cluster ? Shape.CLUSTER : Shape.DETECT);
    }

    private RedisEndpoint(RedisUri uri, String role, TlsOptions tls, Shape shape) {
        this.shape = shape;
        this.uri = uri;
        this.role = role;
        this.tls = tls == null ? TlsOptions.defaults() : tls;
        this.client = RedisClient.create(lettuceUri(uri, uri.dbOrZero()));
        ClientOptions.Builder options = ClientOptions.builder()
                // RESP2 without HELLO: Redis 2.8 and many managed services don't know HELLO.
                .protocolVersion(ProtocolVersion.RESP2)
                // A copy must fail loudly on a lost connection, not queue commands forever.
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT));
        if (uri.tls()) {
            options.sslOptions(sslOptions(this.tls));
        }
        client.setOptions(options.build());
    }

    /** An endpoint without TLS settings beyond the JVM defaults. */
    public RedisEndpoint(RedisUri uri, String role) {
        this(uri, role, TlsOptions.defaults());
    }

    private RedisURI lettuceUri(RedisUri u, int db) {
        RedisURI.Builder b = RedisURI.builder().withHost(u.host()).withPort(u.port()).withDatabase(db)
                .withSsl(u.tls()).withTimeout(CONNECT_TIMEOUT).withLibraryName("").withLibraryVersion("");
        if (u.tls()) {
            // --tls-insecure skips both the chain and the host name check; otherwise both are checked.
            b.withVerifyPeer(tls.insecure() ? SslVerifyMode.NONE : SslVerifyMode.FULL);
        }
        if (u.password() != null) {
            if (u.user() != null) {
                b.withAuthentication(u.user(), u.password().toCharArray());
            } else {
                b.withPassword(u.password().toCharArray());
            }
        }
        return b.build();
    }

    private static SslOptions sslOptions(TlsOptions tls) {
        SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
        if (tls.caFile() != null && !tls.insecure()) {
            b.trustManager(tls.caFile().toFile());
        }
        if (tls.certFile() != null && tls.keyFile() != null) {
            b.keyManager(tls.certFile().toFile(), tls.keyFile().toFile(), null);
        }
        return b.build();
    }

    /** The JSSE context the bare RESP connections use for TLS: the same settings as {@link #sslOptions}. */
    private synchronized SSLContext sslContext() throws java.io.IOException {
        if (sslContext == null) {
            try {
                SslContextBuilder b = sslOptions(tls).createSslContextBuilder().sslProvider(SslProvider.JDK);
                if (tls.insecure()) {
                    b.trustManager(InsecureTrustManagerFactory.INSTANCE);
                }
                sslContext = ((JdkSslContext) b.build()).context();
            } catch (java.security.GeneralSecurityException e) {
                throw new javax.net.ssl.SSLException(e.getMessage(), e);
            }
        }
        return sslContext;
    }

    public RedisUri uri() {
        return uri;
    }

    public String role() {
        return role;
    }

    /** A new binary-safe connection to the URI's database (or 0). */
    public StatefulRedisConnection<byte[], byte[]> connect() {
        return connect(uri.dbOrZero());
    }

    /** A new binary-safe connection with {@code db} selected. */
    public StatefulRedisConnection<byte[], byte[]> connect(int db) {
        try {
            return client.connect(ByteArrayCodec.INSTANCE, lettuceUri(uri, db));
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /**
     * A bare RESP connection ({@link RespPipe}) to database {@code db} of this server (a standalone server or one
     * primary of a cluster), authenticated; failures are one-line {@link CutoverException}s.
     */
    public RespPipe openPipe(int db) {
        try {
            return RespPipe.open(uri, db, uri.tls() ? sslContext() : null, !tls.insecure());
        } catch (java.io.IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    /** What the server is (read once, then cached). */
    public ServerInfo info() {
        ServerInfo i = info;
        if (i == null) {
            try (StatefulRedisConnection<byte[], byte[]> c = connect(0)) { // INFO is server-wide; a cluster has db 0 only
                i = ServerInfo.parse(c.sync().info());
            } catch (CutoverException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failure(e);
            }
            info = i;
        }
        return i;
    }

    /** Fresh key counts per database (INFO keyspace). */
    public ServerInfo refreshInfo() {
        info = null;
        return info();
    }

    /** A one-line {@link CutoverException} for a failure talking to this endpoint. */
    public CutoverException failure(Throwable e) {
        return RedisFailures.translate(e, uri, role);
    }

    /** Whether to treat this endpoint as a Redis Cluster: asked for, or INFO says cluster_enabled (never for a node). */
    public boolean cluster() {
        return switch (shape) {
            case CLUSTER -> true;
            case NODE -> false;
            case DETECT -> info().cluster();
        };
    }

    /** The cluster's primaries and slots (read once); a usage error when this is not a cluster. */
    public synchronized ClusterTopology topology() {
        if (topology == null) {
            String text;
            try (StatefulRedisConnection<byte[], byte[]> c = connect(0)) {
                text = c.sync().clusterNodes();
            } catch (io.lettuce.core.RedisCommandExecutionException e) {
                throw CutoverException.usage(role + " " + uri.address() + " is not a Redis Cluster (CLUSTER NODES: "
                        + e.getMessage() + ")", e);
            } catch (CutoverException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failure(e);
            }
            ClusterTopology t = ClusterTopology.parse(text, new ClusterTopology.Address(uri.host(), uri.port()));
            if (t.primaries().isEmpty()) {
                throw CutoverException.usage(role + " " + uri.address() + ": the cluster has no primary serving slots");
            }
            if (t.unservedSlots() > 0) {
                throw CutoverException.usage(role + " " + uri.address() + ": " + t.unservedSlots()
                        + " of 16384 slots have no primary (CLUSTER NODES); fix the cluster first");
            }
            topology = t;
        }
        return topology;
    }

    /**
     * What to scan: this endpoint for a standalone server, else one endpoint per cluster primary (database 0,
     * same credentials and TLS, named "source 10.0.0.5:7001").
     */
    public synchronized List<RedisEndpoint> nodes() {
        if (!cluster()) {
            return List.of(this);
        }
        if (nodes == null) {
            List<RedisEndpoint> list = new ArrayList<>();
            for (ClusterTopology.Address a : topology().primaries()) {
                list.add(new RedisEndpoint(uri.withAddress(a.host(), a.port()), role + " node", tls, Shape.NODE));
            }
            nodes = List.copyOf(list);
        }
        return nodes;
    }

    /**
     * The part of {@link #nodes()} that serves at least one of {@code slots}: every primary of a cluster holding
     * some of them, or this server when standalone (where any slot's keys may be).
     */
    public List<RedisEndpoint> nodesServing(SlotRanges slots) {
        if (!cluster() || slots.isAll()) {
            return nodes();
        }
        List<RedisEndpoint> all = nodes();
        List<RedisEndpoint> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (SlotRanges.ownedBy(topology().slotOwner(), i).intersects(slots)) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    /**
     * The databases a command works on: as {@link ServerInfo#databasesInScope} says (fresh key counts) for a
     * standalone server, database 0 for a cluster (a usage error when the URI names another).
     */
    public List<Integer> databasesInScope() {
        if (!cluster()) {
            return refreshInfo().databasesInScope(uri);
        }
        if (uri.db() > 0) {
            throw CutoverException.usage(role + " " + uri.address() + " is a cluster with database 0 only");
        }
        return List.of(0);
    }

    /** Keys in {@code db} now (INFO keyspace), summed over the primaries of a cluster. */
    public long keyCount(int db) {
        long n = 0;
        for (RedisEndpoint node : nodes()) {
            n += node.refreshInfo().keysPerDb().getOrDefault(db, 0L);
        }
        return n;
    }

    /**
     * Keys in {@code db} whose hash slots are among {@code slots}, for progress: exact for the servers whose slots are
     * all selected, else each server's count scaled by the part of its slots selected (keys spread evenly over slots
     * unless hash tags pile them up, so it is an estimate).
     */
    public long keyCount(int db, SlotRanges slots) {
        if (slots.isAll()) {
            return keyCount(db);
        }
        List<RedisEndpoint> all = nodes();
        long n = 0;
        for (int i = 0; i < all.size(); i++) {
            SlotRanges served = cluster() ? SlotRanges.ownedBy(topology().slotOwner(), i) : SlotRanges.all();
            if (served.intersects(slots)) {
                n += slots.keysAmong(all.get(i).refreshInfo().keysPerDb().getOrDefault(db, 0L), served);
            }
        }
        return n;
    }

    /**
     * A usage error when this is a cluster and {@code db}, where source database {@code sourceDb} would go, is not
     * database 0.
     */
    public void checkClusterDatabase(int db, int sourceDb) {
        if (db != 0 && cluster()) {
            throw CutoverException.usage(role + " " + uri.address() + " is a cluster with database 0 only: map database "
                    + sourceDb + " with --db-map " + sourceDb + ":0[:prefix=P]");
        }
    }

    /**
     * A connection for commands addressed by key to database {@code db}: a plain connection on a standalone
     * server, a slot-routing one on a cluster (database 0 only).
     */
    public KeyedConnection connectKeyed(int db) {
        if (!cluster()) {
            return new KeyedConnection(connect(db));
        }
        try {
            io.lettuce.core.cluster.api.StatefulRedisClusterConnection<byte[], byte[]> c =
                    clusterClient().connect(ByteArrayCodec.INSTANCE);
            for (ClusterTopology.Address a : topology().primaries()) {
                c.getConnection(a.host(), a.port()); // connect to every primary now rather than on the first command
            }
            return new KeyedConnection(c);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /** Like {@link #connectKeyed} but sending commands only on {@code flushCommands()}: one round trip per batch. */
    public KeyedConnection connectKeyedPipelined(int db) {
        KeyedConnection c = connectKeyed(db);
        c.setAutoFlushCommands(false);
        return c;
    }

    private synchronized RedisClusterClient clusterClient() {
        if (clusterClient == null) {
            topology(); // a clear message when this is no cluster, before Lettuce's own
            RedisClusterClient c = RedisClusterClient.create(lettuceUri(uri, 0));
            ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                    .protocolVersion(ProtocolVersion.RESP2)
                    .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT));
            if (uri.tls()) {
                options.sslOptions(sslOptions(tls));
            }
            c.setOptions(options.build());
            clusterClient = c;
        }
        return clusterClient;
    }

    /** The underlying Lettuce client, for callers needing other codecs or pub/sub. */
    public RedisClient client() {
        return client;
    }

    /** A Lettuce URI for {@code db} with this endpoint's credentials and TLS. */
    public RedisURI lettuceUri(int db) {
        return lettuceUri(uri, db);
    }

    @Override
    public void close() {
        List<RedisEndpoint> ns;
        RedisClusterClient cc;
        synchronized (this) {
            ns = nodes;
            cc = clusterClient;
        }
        if (ns != null) {
            ns.forEach(RedisEndpoint::close);
        }
        if (cc != null) {
            cc.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return role + " " + uri;
    }
}
