package io.cutover.redis.tls;

import io.cutover.redis.testing.TestRedis;
import io.cutover.testkit.redis.LocalRedisServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's redis-server with a TLS port. The plain port stays open on loopback only so the test can prepare the
 * server (ACL users, CONFIG SET) without going through the code under test.
 */
public final class TlsRedis implements AutoCloseable {
    private final LocalRedisServer server;
    private final int tlsPort;

    private TlsRedis(LocalRedisServer server, int tlsPort) {
        this.server = server;
        this.tlsPort = tlsPort;
    }

    /** Starts a server presenting {@code cert}/{@code key}, trusting {@code certs.ca()} for client certificates. */
    public static TlsRedis start(TestCertificates certs, Path cert, Path key, String... extra) {
        int tlsPort = LocalRedisServer.freePort();
        List<String> args = new ArrayList<>(List.of("--tls-port", String.valueOf(tlsPort),
                "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", certs.ca().toString(), "--tls-auth-clients", "optional"));
        args.addAll(List.of(extra));
        return new TlsRedis(LocalRedisServer.start(TestRedis.V7.binary(), args.toArray(String[]::new)), tlsPort);
    }

    public static TlsRedis start(TestCertificates certs, String... extra) {
        return start(certs, certs.serverCert(), certs.serverKey(), extra);
    }

    public int tlsPort() {
        return tlsPort;
    }

    /** {@code rediss://[userinfo@]127.0.0.1:TLSPORT}. */
    public String tlsUri(String userInfo) {
        return "rediss://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + tlsPort;
    }

    /** The plain loopback port for test setup. */
    public LocalRedisServer plain() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
