package io.cutover.cli.redis;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.TlsOptions;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** TLS options for {@code rediss://} URIs. */
public final class TlsOption {
    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM file of the CA to trust for rediss://.")
    Path ca;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM client certificate (with --tls-key).")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM client key (with --tls-cert).")
    Path key;

    @Option(names = "--tls-insecure", description = "Do not verify the server certificate (only when you must).")
    boolean insecure;

    public TlsOptions options() {
        for (Path p : new Path[] {ca, cert, key}) {
            if (p != null && !Files.isReadable(p)) {
                throw CutoverException.usage("TLS file not readable: " + p);
            }
        }
        if ((cert == null) != (key == null)) {
            throw CutoverException.usage("--tls-cert and --tls-key go together");
        }
        return new TlsOptions(ca, cert, key, insecure);
    }
}
