package org.petmeeting.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * BCrypt password hashes, always computed on a worker thread: one hash takes tens of milliseconds
 * at the default cost, far too long for an event loop.
 *
 * <p>BCrypt reads at most 72 bytes, and this library refuses longer input. A password longer than
 * that in UTF-8 (we accept up to 128 characters) is first reduced to the base64 of its SHA-256, so
 * that every character counts; shorter ones are hashed as they are.
 */
public final class PasswordHasher {
  private static final int BCRYPT_MAX_BYTES = 72;
  /** A hash per cost to check unknown users against, shared by every instance. */
  private static final Map<Integer, String> DUMMY = new ConcurrentHashMap<>();

  private final Vertx vertx;
  private final int cost;

  public PasswordHasher(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = cost;
    // Prepare the dummy hash now so the first unknown-user log-in costs no more than any other.
    vertx.executeBlocking(this::dummyHash, false);
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> BCrypt.hashpw(input(password), BCrypt.gensalt(cost)), false);
  }

  /**
   * Whether {@code password} matches {@code hash}. With a null hash (no such user) it still runs a
   * full BCrypt check, against a dummy hash, so the answer takes as long as for a real user and
   * timing does not reveal which user names exist.
   */
  public Future<Boolean> verify(String password, String hash) {
    return vertx.executeBlocking(() -> {
      if (hash == null) {
        BCrypt.checkpw(input(password), dummyHash());
        return false;
      }
      try {
        return BCrypt.checkpw(input(password), hash);
      } catch (IllegalArgumentException e) {
        return false; // not a BCrypt hash: no password matches it
      }
    }, false);
  }

  private String dummyHash() {
    return DUMMY.computeIfAbsent(cost, c -> BCrypt.hashpw("no user has this password", BCrypt.gensalt(c)));
  }

  static byte[] input(String password) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= BCRYPT_MAX_BYTES) {
      return bytes;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      // base64, not the raw digest: BCrypt input must not contain NUL bytes.
      return Base64.getEncoder().encode(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
