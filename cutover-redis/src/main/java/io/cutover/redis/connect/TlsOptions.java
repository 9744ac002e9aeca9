package io.cutover.redis.connect;

import java.nio.file.Path;

/**
 * TLS settings for {@code rediss://}: a CA to trust, an optional client certificate and key (PEM),
 * or {@code insecure} to skip verification (only when asked for).
 */
public record TlsOptions(Path caFile, Path certFile, Path keyFile, boolean insecure) {
    /** The JVM's default trust store, no client certificate. */
    public static TlsOptions defaults() {
        return new TlsOptions(null, null, null, false);
    }
}
