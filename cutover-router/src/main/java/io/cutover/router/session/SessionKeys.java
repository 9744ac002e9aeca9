package io.cutover.router.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import java.util.UUID;

/** Generates ES256 key pairs as JWKs: the private one for the router, the public one for the services. */
public final class SessionKeys {
    private SessionKeys() {
    }

    /** A new EC P-256 key pair. */
    public record Es256Pair(String privateJwk, String publicJwk) {
        @Override
        public String toString() {
            return "Es256Pair[publicJwk=" + publicJwk + ", privateJwk=***]";
        }
    }

    /** Generates a fresh key pair with a random key id. */
    public static Es256Pair newEs256() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            return new Es256Pair(key.toJSONString(), key.toPublicJWK().toJSONString());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC key: " + e.getMessage(), e);
        }
    }
}
