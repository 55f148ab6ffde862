package org.petmeeting.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.petmeeting.config.AppConfig;

/** The primary pool (writes, read-after-write) and the replica-aware read side. */
public final class Databases {
  private final Pool primary;
  private final Pool replicaPool;
  private final ReplicaAwareReads reads;

  private Databases(Pool primary, Pool replicaPool, ReplicaAwareReads reads) {
    this.primary = primary;
    this.replicaPool = replicaPool;
    this.reads = reads;
  }

  public static Databases create(Vertx vertx, AppConfig.Db db) {
    Pool primary = pool(vertx, db.primary(), "primary");
    Pool replica = db.hasReplica() ? pool(vertx, db.replica(), "replica") : null;
    ReplicaAwareReads reads = new ReplicaAwareReads(vertx, primary, replica, db.replica());
    return new Databases(primary, replica, reads);
  }

  static Pool pool(Vertx vertx, AppConfig.Database d, String name) {
    MySQLConnectOptions connect = new MySQLConnectOptions()
        .setHost(d.host())
        .setPort(d.port())
        .setDatabase(d.database())
        .setUser(d.user())
        .setPassword(d.password())
        .setCharset("utf8mb4")
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(256);
    PoolOptions pool = new PoolOptions()
        .setMaxSize(d.poolSize())
        .setName("pm-" + name)
        .setMaxWaitQueueSize(10_000)
        .setConnectionTimeout(5)
        .setIdleTimeout(300);
    return MySQLBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /** Every write, and every read that must see a write just made. */
  public Pool primary() {
    return primary;
  }

  /** Reads that may be slightly stale: the replica when healthy and caught up, else the primary. */
  public Pool reads() {
    return reads.pool();
  }

  public ReplicaAwareReads replicaAwareReads() {
    return reads;
  }

  /** The replica pool itself, or null when none is configured (tests read through it directly). */
  public Pool replicaPool() {
    return replicaPool;
  }

  public Future<Void> start() {
    return reads.start();
  }

  public Future<Void> close() {
    reads.stop();
    Future<Void> p = primary.close();
    return replicaPool == null ? p : Future.all(p, replicaPool.close()).mapEmpty();
  }
}
