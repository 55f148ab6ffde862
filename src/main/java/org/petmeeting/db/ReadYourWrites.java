package org.petmeeting.db;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.function.Function;
import org.petmeeting.config.AppConfig;
import org.petmeeting.http.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-your-writes on top of {@link ReplicaAwareReads}. Every REST write by a user sets a short
 * lived Redis marker {@code rw:<userId>}; while it lives, that user's reads go to the primary, so
 * a list read right after a create shows what was created even when the replica lags. The marker
 * lives as long as the replica may be behind and still be used: the lag threshold plus one check
 * interval. It is in Redis, not in memory, because the next request may reach another node.
 *
 * <p>A read that fails on the replica for a reason other than a {@link Problem} (replica just went
 * down, before the health check noticed) is run again on the primary.
 */
public final class ReadYourWrites {
  private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);
  private final Databases db;
  private final RedisAPI redis;
  private final long markerMs;

  public ReadYourWrites(Databases db, RedisAPI redis, AppConfig.Database replicaSettings) {
    this.db = db;
    this.redis = redis;
    long maxLagMs = replicaSettings.maxLagSeconds() == null ? 5000 : replicaSettings.maxLagSeconds() * 1000L;
    long intervalMs = replicaSettings.checkIntervalMs() == null ? 2000 : replicaSettings.checkIntervalMs();
    this.markerMs = maxLagMs + intervalMs;
  }

  static String key(long userId) {
    return "rw:" + userId;
  }

  public long markerMs() {
    return markerMs;
  }

  /**
   * Records that {@code userId} just wrote. Never fails: without the marker the user may briefly
   * read stale data, which is no reason to report a write that happened as failed.
   */
  public Future<Void> wrote(long userId) {
    return redis.set(List.of(key(userId), "1", "PX", Long.toString(markerMs)))
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("could not set the read-your-writes marker of user {}: {}", userId, err.getMessage());
          return Future.succeededFuture();
        });
  }

  /** The pool {@code userId}'s reads should use now. */
  public Future<Pool> poolFor(long userId) {
    Pool reads = db.reads();
    if (reads == db.primary()) {
      return Future.succeededFuture(reads);
    }
    return redis.exists(List.of(key(userId)))
        .map(n -> n != null && n.toLong() > 0 ? db.primary() : reads)
        // Cannot tell whether the user just wrote: the primary is always right.
        .otherwise(db.primary());
  }

  /** Runs a read for {@code userId} on the pool it should use, falling back to the primary on errors. */
  public <T> Future<T> read(long userId, Function<SqlClient, Future<T>> query) {
    return poolFor(userId).compose(pool -> {
      Future<T> first = query.apply(pool);
      if (pool == db.primary()) {
        return first;
      }
      return first.recover(err -> {
        if (err instanceof Problem.ProblemException) {
          return Future.failedFuture(err);
        }
        log.debug("replica read failed, reading from the primary: {}", err.getMessage());
        return query.apply(db.primary());
      });
    });
  }
}
