package io.cutover.router.tls;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/** TLS to an {@code https://} backend, one rule for every client that dials one (the proxy's and the shadow's). */
public final class BackendTrust {
    private BackendTrust() {
    }

    /**
     * A client TLS factory that trusts {@code ca} (the JVM's trusted CAs when null) and checks that the certificate
     * names the host dialled.
     */
    public static SslContextFactory.Client client(String backend, List<X509Certificate> ca) {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setEndpointIdentificationAlgorithm("HTTPS");
        if (ca != null) {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                for (int i = 0; i < ca.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, ca.get(i));
                }
                ssl.setTrustStore(trust);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build the trust store of backend " + backend + ": " + e, e);
            }
        }
        return ssl;
    }
}
