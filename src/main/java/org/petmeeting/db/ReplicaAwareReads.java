package org.petmeeting.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.petmeeting.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the pool for stale-tolerant reads. A heartbeat row is written through the primary and
 * read back through the replica at a fixed interval: the replica is used only while it answers
 * and the heartbeat it shows is within {@code maxLagSeconds} of what was written. This needs no
 * replication privileges, and it measures what matters: how old the replica's data is.
 */
public final class ReplicaAwareReads {
  private static final Logger log = LoggerFactory.getLogger(ReplicaAwareReads.class);
  private static final String WRITE = "INSERT INTO heartbeat (id, ts) VALUES (1, ?) "
      + "ON DUPLICATE KEY UPDATE ts = GREATEST(ts, VALUES(ts))";
  private static final String READ = "SELECT ts FROM heartbeat WHERE id = 1";

  private final Vertx vertx;
  private final Pool primary;
  private final Pool replica;
  private final long maxLagMs;
  private final long intervalMs;
  private volatile boolean replicaUsable;
  private volatile long lagMs = -1;
  private LocalDateTime lastWritten;
  private long timerId = -1;

  ReplicaAwareReads(Vertx vertx, Pool primary, Pool replica, AppConfig.Database settings) {
    this.vertx = vertx;
    this.primary = primary;
    this.replica = replica;
    this.maxLagMs = settings.maxLagSeconds() == null ? 5000 : settings.maxLagSeconds() * 1000L;
    this.intervalMs = settings.checkIntervalMs() == null ? 2000 : settings.checkIntervalMs();
  }

  public Pool pool() {
    return replicaUsable ? replica : primary;
  }

  public boolean replicaUsable() {
    return replicaUsable;
  }

  /** Milliseconds the replica was behind at the last check; -1 when unknown or unreachable. */
  public long lagMs() {
    return lagMs;
  }

  Future<Void> start() {
    if (replica == null) {
      return Future.succeededFuture();
    }
    // Jitter so that many nodes do not all write in the same millisecond.
    timerId = vertx.setPeriodic(intervalMs + ThreadLocalRandom.current().nextLong(intervalMs / 4 + 1),
        id -> check());
    return check();
  }

  void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  /** Runs one check now; tests call it to avoid waiting for the timer. */
  public Future<Void> check() {
    if (replica == null) {
      return Future.succeededFuture();
    }
    LocalDateTime previous = lastWritten;
    Future<LocalDateTime> seen = replica.query(READ).execute()
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLocalDateTime("ts"));
    return seen
        .andThen(ar -> {
          boolean wasUsable = replicaUsable;
          if (ar.failed()) {
            lagMs = -1;
            replicaUsable = false;
          } else if (previous != null) {
            LocalDateTime ts = ar.result();
            lagMs = ts == null ? Long.MAX_VALUE : Math.max(0, ChronoUnit.MILLIS.between(ts, previous));
            replicaUsable = lagMs <= maxLagMs;
          }
          if (wasUsable && !replicaUsable) {
            log.warn("replica reads moved to the primary (lag {} ms{})", lagMs,
                ar.failed() ? ", " + ar.cause().getMessage() : "");
          } else if (!wasUsable && replicaUsable) {
            log.info("replica reads on the replica (lag {} ms)", lagMs);
          }
        })
        .transform(ignored -> writeHeartbeat())
        .recover(err -> Future.succeededFuture());
  }

  private Future<Void> writeHeartbeat() {
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    return primary.preparedQuery(WRITE).execute(Tuple.of(now))
        .onSuccess(r -> lastWritten = now)
        .mapEmpty();
  }

  static LocalDateTime ts(Row row) {
    return row.getLocalDateTime(0);
  }
}
