package io.cutover.router.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * What a new service uses to check the router's session token: the signature (only the configured
 * algorithm is accepted), the issuer, the audience and the expiry. Returns the claims when all hold.
 *
 * <pre>{@code
 * SessionTokenVerifier v = SessionTokenVerifier.hs256(System.getenv("SESSION_JWT_KEY"), "cutover", "modern");
 * Map<String, Object> claims = v.verify(request.getHeader("X-Session-Token"));
 * }</pre>
 */
public final class SessionTokenVerifier {
    private final JWSAlgorithm alg;
    private final JWSVerifier verifier;
    private final String issuer;
    private final String audience;
    private final Duration clockSkew;
    private final Clock clock;

    private SessionTokenVerifier(JWSAlgorithm alg, JWSVerifier verifier, String issuer, String audience,
                                 Duration clockSkew, Clock clock) {
        this.alg = alg;
        this.verifier = verifier;
        this.issuer = issuer;
        this.audience = audience;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /** A verifier for HS256 tokens signed with {@code secret} (at least 32 bytes). */
    public static SessionTokenVerifier hs256(String secret, String issuer, String audience) {
        try {
            return new SessionTokenVerifier(JWSAlgorithm.HS256, new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)),
                    issuer, audience, Duration.ofSeconds(5), Clock.systemUTC());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("HS256 key: " + e.getMessage(), e);
        }
    }

    /** A verifier for ES256 tokens; {@code publicJwk} is the router key's public EC P-256 JWK (JSON). */
    public static SessionTokenVerifier es256(String publicJwk, String issuer, String audience) {
        try {
            return new SessionTokenVerifier(JWSAlgorithm.ES256, new ECDSAVerifier(ECKey.parse(publicJwk).toPublicJWK()),
                    issuer, audience, Duration.ofSeconds(5), Clock.systemUTC());
        } catch (ParseException | JOSEException e) {
            throw new IllegalArgumentException("ES256 public JWK: " + e.getMessage(), e);
        }
    }

    /** The same verifier with another allowed clock skew (default 5s). */
    public SessionTokenVerifier withClockSkew(Duration skew) {
        return new SessionTokenVerifier(alg, verifier, issuer, audience, skew, clock);
    }

    /** Verifies {@code token} and returns its claims; throws {@link InvalidSessionTokenException} saying why not. */
    public Map<String, Object> verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidSessionTokenException("no token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token.trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidSessionTokenException("not a signed JWT: " + e.getMessage());
        }
        if (!alg.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidSessionTokenException("algorithm " + jwt.getHeader().getAlgorithm() + " is not " + alg);
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidSessionTokenException("bad signature");
            }
        } catch (JOSEException e) {
            throw new InvalidSessionTokenException("cannot verify: " + e.getMessage());
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidSessionTokenException("issuer '" + claims.getIssuer() + "' is not '" + issuer + "'");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new InvalidSessionTokenException("audience " + claims.getAudience() + " does not include '" + audience + "'");
        }
        Date exp = claims.getExpirationTime();
        Instant now = clock.instant();
        if (exp == null) {
            throw new InvalidSessionTokenException("no expiry");
        }
        if (now.isAfter(exp.toInstant().plus(clockSkew))) {
            throw new InvalidSessionTokenException("expired at " + exp.toInstant());
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(clockSkew))) {
            throw new InvalidSessionTokenException("issued in the future (" + iat.toInstant() + ")");
        }
        return claims.getClaims();
    }

    /** A token that is missing, malformed, forged, for someone else or expired. */
    public static final class InvalidSessionTokenException extends RuntimeException {
        public InvalidSessionTokenException(String message) {
            super("invalid session token: " + message);
        }
    }
}
