package io.cutover.redis.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made with {@code openssl} for TLS tests: a CA, a server certificate for 127.0.0.1/localhost signed by
 * it, a client certificate signed by it, a second unrelated CA, and a server certificate for another host name.
 */
public record TestCertificates(Path dir) {

    public Path ca() {
        return dir.resolve("ca.crt");
    }

    public Path caKey() {
        return dir.resolve("ca.key");
    }

    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public Path clientCert() {
        return dir.resolve("client.crt");
    }

    public Path clientKey() {
        return dir.resolve("client.key");
    }

    /** A CA that signed nothing we use: trusting it must fail. */
    public Path otherCa() {
        return dir.resolve("other-ca.crt");
    }

    /** Signed by {@link #ca()} but for {@code db.example.com}, not 127.0.0.1. */
    public Path wrongHostCert() {
        return dir.resolve("wronghost.crt");
    }

    public Path wrongHostKey() {
        return dir.resolve("wronghost.key");
    }

    /** Generates everything into {@code dir}. */
    public static TestCertificates generate(Path dir) {
        TestCertificates c = new TestCertificates(dir);
        c.selfSigned("ca", "Cutover Test CA");
        c.selfSigned("other-ca", "Someone Else's CA");
        c.signed("server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        c.signed("client", "cutover-client", "extendedKeyUsage=clientAuth");
        c.signed("wronghost", "db.example.com", "subjectAltName=DNS:db.example.com");
        return c;
    }

    private void selfSigned(String name, String cn) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt",
                "-days", "2", "-subj", "/CN=" + cn);
    }

    private void signed(String name, String cn, String extension) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: "
                        + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("openssl not available: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
