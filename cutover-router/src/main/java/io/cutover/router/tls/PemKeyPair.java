package io.cutover.router.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key read from PEM files, as certbot and most CAs hand them out, checked to
 * belong together. Java reads PEM certificates but not PEM keys: a PKCS#8 key ({@code BEGIN PRIVATE KEY}, what
 * OpenSSL 3 writes) is read as is, a PKCS#1 RSA key ({@code BEGIN RSA PRIVATE KEY}) is wrapped into PKCS#8.
 *
 * @param chain the leaf certificate first
 */
public record PemKeyPair(List<X509Certificate> chain, PrivateKey key) {
    /** The password of the in-memory key store; it never leaves this process. */
    public static final String STORE_PASSWORD = "cutover";

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /** Why a pair could not be read; the message is one line naming the file. */
    public static final class BadPemException extends Exception {
        public BadPemException(String message) {
            super(message);
        }
    }

    /** Reads and checks {@code cert} and {@code key}. */
    public static PemKeyPair read(Path cert, Path key) throws BadPemException {
        return parse(text(cert, "certificate"), cert, text(key, "key"), key);
    }

    /** Parses and checks the files' contents as read ({@code cert} and {@code key} name them in messages). */
    public static PemKeyPair parse(String certPem, Path cert, String keyPem, Path key) throws BadPemException {
        List<X509Certificate> chain = certificates(certPem, cert);
        PrivateKey k = privateKey(keyPem, key);
        if (!matches(chain.get(0), k)) {
            throw new BadPemException("the key in " + key + " does not belong to the certificate in " + cert);
        }
        return new PemKeyPair(List.copyOf(chain), k);
    }

    /** When the leaf certificate expires. */
    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    /** The leaf certificate's subject, for logs. */
    public String subject() {
        return chain.get(0).getSubjectX500Principal().getName();
    }

    /** A key store holding the pair under the alias {@code router}. */
    public KeyStore keyStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("router", key, STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key store: " + e, e);
        }
    }

    /** A PEM file's text. */
    public static String text(Path file, String what) throws BadPemException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadPemException(what + " file " + file + " does not exist");
        } catch (IOException e) {
            throw new BadPemException("cannot read the " + what + " file " + file + ": " + e.getMessage());
        }
    }

    /** The certificates in a PEM text (at least one). */
    public static List<X509Certificate> certificates(String pem, Path file) throws BadPemException {
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BadPemException("the certificate file " + file + " holds a certificate that does not parse: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new BadPemException("the certificate file " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    private static PrivateKey privateKey(String pem, Path file) throws BadPemException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new BadPemException("the key file " + file + " is not valid base64 PEM");
            }
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der, file);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(Pkcs1.toPkcs8(der), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new BadPemException("the key in " + file
                        + " is encrypted; give an unencrypted key (openssl pkey -in KEY -out plain.pem)");
                case "EC PRIVATE KEY" -> throw new BadPemException("the key in " + file
                        + " is a SEC1 EC key; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem)");
                default -> {
                    // an EC PARAMETERS block before the key, say
                }
            }
        }
        throw new BadPemException("the key file " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws BadPemException {
        for (String alg : new String[]{"RSA", "EC", "Ed25519", "EdDSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        throw new BadPemException("the key in " + file + " is not an RSA, EC or Ed25519 private key Java can read");
    }

    /** Whether {@code key} signs what the certificate's public key verifies: works for every key type. */
    private static boolean matches(X509Certificate cert, PrivateKey key) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, EdDSA
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // an EC key against an RSA certificate, say
        }
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.trim());
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as an OCTET STRING). */
    private static final class Pkcs1 {
        private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
                (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

        static byte[] toPkcs8(byte[] pkcs1) {
            byte[] version = {0x02, 0x01, 0x00};
            byte[] octets = der(0x04, pkcs1);
            byte[] body = new byte[version.length + RSA_ALGORITHM.length + octets.length];
            System.arraycopy(version, 0, body, 0, version.length);
            System.arraycopy(RSA_ALGORITHM, 0, body, version.length, RSA_ALGORITHM.length);
            System.arraycopy(octets, 0, body, version.length + RSA_ALGORITHM.length, octets.length);
            return der(0x30, body);
        }

        private static byte[] der(int tag, byte[] content) {
            int n = content.length;
            byte[] len = n < 0x80 ? new byte[]{(byte) n}
                    : n < 0x100 ? new byte[]{(byte) 0x81, (byte) n}
                    : n < 0x10000 ? new byte[]{(byte) 0x82, (byte) (n >> 8), (byte) n}
                    : new byte[]{(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
            byte[] out = new byte[1 + len.length + n];
            out[0] = (byte) tag;
            System.arraycopy(len, 0, out, 1, len.length);
            System.arraycopy(content, 0, out, 1 + len.length, n);
            return out;
        }
    }
}
