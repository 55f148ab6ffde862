package org.petmeeting.accounts;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.petmeeting.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Issues and verifies HMAC-signed JWT access tokens; the key comes from configuration. */
public final class Tokens {
  private static final Logger log = LoggerFactory.getLogger(Tokens.class);

  /** Who a valid token speaks for. */
  public record Principal(long userId, String name) {}

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final String issuer;
  private final long ttlSeconds;

  public Tokens(AppConfig.Auth auth) {
    String secret = auth.jwtSecret();
    if (secret.isEmpty()) {
      byte[] random = new byte[48];
      new SecureRandom().nextBytes(random);
      secret = Base64.getEncoder().encodeToString(random);
      log.warn("auth.jwtSecret is empty: using a random key; tokens die with this process and other nodes reject them");
    }
    this.algorithm = Algorithm.HMAC256(secret);
    this.issuer = auth.jwtIssuer();
    this.ttlSeconds = auth.tokenTtlSeconds();
    this.verifier = JWT.require(algorithm).withIssuer(issuer).acceptLeeway(5).build();
  }

  public String issue(long userId, String name) {
    Instant now = Instant.now();
    return JWT.create()
        .withIssuer(issuer)
        .withSubject(Long.toString(userId))
        .withClaim("name", name)
        .withIssuedAt(now)
        .withExpiresAt(now.plusSeconds(ttlSeconds))
        .sign(algorithm);
  }

  /** The principal of a valid, unexpired token; empty for anything else. */
  public Optional<Principal> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > 4096) {
      return Optional.empty();
    }
    try {
      DecodedJWT jwt = verifier.verify(token);
      return Optional.of(new Principal(Long.parseLong(jwt.getSubject()), jwt.getClaim("name").asString()));
    } catch (JWTVerificationException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
