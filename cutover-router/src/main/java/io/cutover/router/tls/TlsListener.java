package io.cutover.router.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The TLS listener: HTTP/2 and HTTP/1.1 chosen by ALPN (HTTP/1.1 for a client that offers none), in front of the
 * same handler chain as the plain listener, so routing, limits and metrics are the same objects. The certificate and
 * key files are checked every {@code refresh} and a changed pair replaces the served one without a restart; a pair
 * that does not load (a renewal half written, a key for another certificate) keeps the last good one and is counted.
 */
public final class TlsListener {
    private static final Logger LOG = LoggerFactory.getLogger(TlsListener.class);

    private final Path certFile;
    private final Path keyFile;
    private final Duration refresh;
    private final SslContextFactory.Server ssl;
    private final ServerConnector connector;
    private final Scheduler scheduler;
    private final Counter reloads;
    private final Counter reloadFailures;
    private volatile PemKeyPair current;
    private volatile byte[] seen;
    private volatile Scheduler.Task next;

    /**
     * @param pair the pair checked at configuration time
     * @param http the plain listener's HTTP settings (head sizes, URI compliance), used for both protocols here
     */
    public TlsListener(Server server, String host, int port, Path certFile, Path keyFile, Duration refresh,
                       PemKeyPair pair, HttpConfiguration http, long idleTimeoutMillis, MeterRegistry registry) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.refresh = refresh;
        this.scheduler = server.getScheduler();
        this.current = pair;
        this.seen = initialFingerprint(certFile, keyFile);
        ssl = new SslContextFactory.Server();
        ssl.setKeyStore(pair.keyStore());
        ssl.setKeyStorePassword(PemKeyPair.STORE_PASSWORD);
        ssl.setKeyManagerPassword(PemKeyPair.STORE_PASSWORD);
        // HTTP/2 forbids the TLS 1.2 ciphers on its blacklist; Jetty's comparator orders the allowed ones first
        ssl.setCipherComparator(org.eclipse.jetty.http2.HTTP2Cipher.COMPARATOR);

        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // a certificate for shop.example still answers a client that dials an address
        https.addCustomizer(secure);
        HttpConnectionFactory h1 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(h1.getProtocol());
        SslConnectionFactory tls = new SslConnectionFactory(ssl, alpn.getProtocol());
        connector = new ServerConnector(server, 1, -1, tls, alpn, h2, h1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeoutMillis);
        connector.setAcceptQueueSize(4096);

        reloads = Counter.builder("cutover.router.tls.reloads").description("Certificate pairs loaded after a change of the files")
                .register(registry);
        reloadFailures = Counter.builder("cutover.router.tls.reload.failures")
                .description("Changed certificate files that did not load (the last good pair is kept)").register(registry);
        Gauge.builder("cutover.router.tls.not.after.seconds", this, t -> t.current.notAfter().getEpochSecond())
                .description("When the served certificate expires (Unix seconds)").register(registry);
    }

    private static byte[] initialFingerprint(Path cert, Path key) {
        try {
            return fingerprint(PemKeyPair.text(cert, "certificate"), PemKeyPair.text(key, "key"));
        } catch (PemKeyPair.BadPemException e) {
            return new byte[0];
        }
    }

    /** The connector to add to the server. */
    public ServerConnector connector() {
        return connector;
    }

    /** The port served on (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The pair served now. */
    public PemKeyPair current() {
        return current;
    }

    /** Starts checking the files every {@code refresh}. */
    public void startWatching() {
        if (!refresh.isZero()) {
            next = scheduler.schedule(this::watch, refresh.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops checking; new connections are refused from now on. */
    public void stop() {
        Scheduler.Task t = next;
        if (t != null) {
            t.cancel();
        }
        connector.setAccepting(false);
        try {
            connector.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the TLS listener", e);
        }
    }

    private void watch() {
        try {
            reloadIfChanged();
        } catch (Throwable t) {
            LOG.warn("checking the certificate files: {}", t.toString());
        } finally {
            if (connector.isRunning()) {
                next = scheduler.schedule(this::watch, refresh.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Loads the pair again when either file changed; returns whether a new pair is served. */
    public boolean reloadIfChanged() {
        String certPem;
        String keyPem;
        try {
            certPem = PemKeyPair.text(certFile, "certificate");
            keyPem = PemKeyPair.text(keyFile, "key");
        } catch (PemKeyPair.BadPemException e) {
            return failed(fingerprint(e.getMessage(), ""), e.getMessage());
        }
        // the bytes parsed are the bytes fingerprinted: a file caught mid-write is read again next time
        byte[] now = fingerprint(certPem, keyPem);
        if (Arrays.equals(now, seen)) {
            return false;
        }
        PemKeyPair pair;
        try {
            pair = PemKeyPair.parse(certPem, certFile, keyPem, keyFile);
        } catch (PemKeyPair.BadPemException e) {
            return failed(now, e.getMessage());
        }
        try {
            ssl.reload(f -> f.setKeyStore(pair.keyStore()));
        } catch (Exception e) {
            return failed(now, e.toString());
        }
        seen = now;
        current = pair;
        reloads.increment();
        LOG.info("listen_tls: now serving {} (valid until {})", pair.subject(), pair.notAfter());
        return true;
    }

    /** Counts and logs a failure once per distinct content of the files. */
    private boolean failed(byte[] fingerprint, String why) {
        if (!Arrays.equals(fingerprint, seen)) {
            seen = fingerprint;
            reloadFailures.increment();
            LOG.warn("listen_tls: the changed certificate files do not load, still serving {}: {}", current.subject(), why);
        }
        return false;
    }

    private static byte[] fingerprint(String cert, String key) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(cert.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            d.update((byte) 0);
            d.update(key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return d.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
