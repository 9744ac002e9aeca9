package io.cutover.router.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.cutover.core.error.CutoverException;
import io.cutover.router.config.RouterSettings.TokenSpec;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;

/** Signs the short-lived session token (HS256 with a shared secret, or ES256 with a private EC JWK). */
public final class SessionTokenSigner {
    private static final Set<String> RESERVED = Set.of("iss", "aud", "exp", "iat", "nbf");

    private final JWSSigner signer;
    private final JWSHeader header;
    private final String issuer;
    private final String audience;
    private final Duration ttl;

    private SessionTokenSigner(JWSSigner signer, JWSHeader header, String issuer, String audience, Duration ttl) {
        this.signer = signer;
        this.header = header;
        this.issuer = issuer;
        this.audience = audience;
        this.ttl = ttl;
    }

    /** A signer for the token settings; a key that is too short or not an EC P-256 private JWK is a usage error. */
    public static SessionTokenSigner of(TokenSpec spec) {
        try {
            if (spec.alg().equals("ES256")) {
                ECKey key = ECKey.parse(spec.key());
                if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
                    throw CutoverException.usage("session.token.key: ES256 needs a private EC P-256 JWK (with \"d\")");
                }
                JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.ES256);
                if (key.getKeyID() != null) {
                    h.keyID(key.getKeyID());
                }
                return new SessionTokenSigner(new ECDSASigner(key), h.build(), spec.issuer(), spec.audience(), spec.ttl());
            }
            byte[] secret = spec.key().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw CutoverException.usage("session.token.key: an HS256 key needs at least 32 bytes, got "
                        + secret.length);
            }
            return new SessionTokenSigner(new MACSigner(secret), new JWSHeader(JWSAlgorithm.HS256), spec.issuer(),
                    spec.audience(), spec.ttl());
        } catch (ParseException e) {
            throw CutoverException.usage("session.token.key: not a JWK for ES256: " + e.getMessage());
        } catch (JOSEException e) {
            throw CutoverException.usage("session.token.key: unusable: " + e.getMessage());
        }
    }

    /** How long a token is valid. */
    public Duration ttl() {
        return ttl;
    }

    /** A signed token carrying {@code claims} plus iss, aud, iat and exp. */
    public String sign(Map<String, Object> claims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        claims.forEach((k, v) -> {
            if (!RESERVED.contains(k)) {
                b.claim(k, v);
            }
        });
        b.issuer(issuer).audience(audience).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)));
        SignedJWT jwt = new SignedJWT(header, b.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the session token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
