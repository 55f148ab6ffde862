package org.petmeeting.accounts;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Locale;
import org.petmeeting.http.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed log-ins per user name and per client address in Redis, in fixed windows of a
 * minute that start at the first failure. Once either counter reaches the limit, log-ins for that
 * name or from that address are refused with 429 until the window ends, whether the password is
 * right or not. Counters live in Redis so that every node sees the same ones.
 */
public final class LoginThrottle {
  private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
  static final int WINDOW_SECONDS = 60;

  private final RedisAPI redis;
  private final int limit;

  public LoginThrottle(RedisAPI redis, int failuresPerMinute) {
    this.redis = redis;
    this.limit = failuresPerMinute;
  }

  static String userKey(String username) {
    // Names are unique regardless of case, so their counter is too.
    return "login:fail:user:" + username.toLowerCase(Locale.ROOT);
  }

  static String addressKey(String address) {
    return "login:fail:ip:" + address;
  }

  /** Fails with a 429 problem (with Retry-After) when the name or the address is locked out. */
  public Future<Void> check(String username, String address) {
    String user = userKey(username);
    String ip = addressKey(address);
    return redis.mget(List.of(user, ip))
        .recover(err -> Future.failedFuture(Problem.unavailable("log-in is unavailable right now; try again later")))
        .compose(counts -> {
          String lockedKey = count(counts.get(0)) >= limit ? user : count(counts.get(1)) >= limit ? ip : null;
          if (lockedKey == null) {
            return Future.succeededFuture();
          }
          return redis.ttl(lockedKey)
              .map(ttl -> ttl == null ? WINDOW_SECONDS : ttl.toLong())
              .otherwise((long) WINDOW_SECONDS)
              .compose(ttl -> Future.failedFuture(Problem.tooManyRequests(
                  "too many failed log-ins " + (lockedKey.equals(user) ? "for this user name" : "from this address")
                      + "; try again later",
                  // -1: no expiry (should not happen); -2: just expired
                  ttl == -1 ? WINDOW_SECONDS : Math.max(1, ttl))));
        });
  }

  /** Counts a failure against both the name and the address. Never fails. */
  public Future<Void> recordFailure(String username, String address) {
    return Future.join(increment(userKey(username)), increment(addressKey(address)))
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("could not count a failed log-in: {}", err.getMessage());
          return Future.succeededFuture();
        });
  }

  /** A successful log-in clears the name's counter (not the address's: one good account must not reset it). */
  public Future<Void> recordSuccess(String username) {
    return redis.del(List.of(userKey(username))).<Void>mapEmpty().otherwise((Void) null);
  }

  private Future<Void> increment(String key) {
    // EXPIRE ... NX sets the window only once; repeating it on every failure also repairs a key
    // whose EXPIRE was lost, so no counter can lock anyone out for good.
    return redis.incr(key)
        .compose(n -> redis.expire(List.of(key, Integer.toString(WINDOW_SECONDS), "NX")))
        .mapEmpty();
  }

  private static long count(Response r) {
    return r == null ? 0 : r.toLong();
  }
}
