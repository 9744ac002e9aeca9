package io.cutover.redis.connect;

import io.cutover.core.error.CutoverException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;

import java.time.Duration;

/**
 * One Redis server we talk to (source or target): opens binary-safe Lettuce connections and reads
 * {@link ServerInfo}. Owns its Lettuce client; close it when done.
 */
public final class RedisEndpoint implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final RedisUri uri;
    private final String role;
    private final RedisClient client;
    private final TlsOptions tls;
    private volatile ServerInfo info;

    /** An endpoint for {@code uri}; {@code role} ("source", "target") names it in messages. */
    public RedisEndpoint(RedisUri uri, String role, TlsOptions tls) {
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

    /** What the server is (read once, then cached). */
    public ServerInfo info() {
        ServerInfo i = info;
        if (i == null) {
            try (StatefulRedisConnection<byte[], byte[]> c = connect()) {
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
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return role + " " + uri;
    }
}
