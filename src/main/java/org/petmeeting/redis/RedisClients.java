package org.petmeeting.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import org.petmeeting.config.AppConfig;
import org.petmeeting.config.ConfigException;

/**
 * Redis clients for the configured topology. Commands go to the primary; {@link #newBlockingClient}
 * gives a separate client for XREADGROUP BLOCK so a blocked read never holds a pooled connection.
 */
public final class RedisClients {
  private final Vertx vertx;
  private final AppConfig.RedisSettings settings;
  private final Redis commands;
  private final RedisAPI api;

  public RedisClients(Vertx vertx, AppConfig.RedisSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.commands = Redis.createClient(vertx, options(settings, settings.poolSize(), "commands"));
    this.api = RedisAPI.api(commands);
  }

  static RedisOptions options(AppConfig.RedisSettings s, int poolSize, String name) {
    RedisOptions o = new RedisOptions()
        .setEndpoints(s.endpoints())
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(10_000)
        .setMaxWaitingHandlers(65_536)
        .setPoolName("pm-redis-" + name)
        // RESP2 replies have one shape for every command we use (XREADGROUP answers a map in RESP3).
        .setProtocolNegotiation(true)
        .setPreferredProtocolVersion(io.vertx.redis.client.ProtocolVersion.RESP2);
    if (!s.password().isEmpty()) {
      o.setPassword(s.password());
    }
    switch (s.topology()) {
      case "standalone" -> o.setType(RedisClientType.STANDALONE);
      // Writes and streams must see their own effects: replicas are never read.
      // STATIC: the endpoints are the topology. DISCOVER (the default) asks INFO REPLICATION and,
      // when it reconnects a timed-out connection to the primary, loses the database index, so
      // writes land in db 0 (found by the load tool).
      case "replica" -> o.setType(RedisClientType.REPLICATION).setUseReplicas(RedisReplicas.NEVER)
          .setTopology(io.vertx.redis.client.RedisTopology.STATIC);
      case "sentinel" -> o.setType(RedisClientType.SENTINEL).setMasterName(s.masterName())
          .setRole(RedisRole.MASTER).setAutoFailover(true);
      default -> throw new ConfigException("redis.topology (PM_REDIS_TOPOLOGY) unknown: " + s.topology());
    }
    return o;
  }

  public Redis redis() {
    return commands;
  }

  public RedisAPI api() {
    return api;
  }

  /** A client of its own with a pool of {@code connections}, for blocking commands. */
  public Redis newBlockingClient(int connections, String name) {
    return Redis.createClient(vertx, options(settings, connections, name));
  }

  /** Fails when AOF is expected but the primary does not have it on. */
  public Future<Void> checkDurability() {
    if (!settings.expectAof()) {
      return Future.succeededFuture();
    }
    return api.info(java.util.List.of("persistence")).compose(info -> {
      String text = info.toString();
      if (!text.contains("aof_enabled:1")) {
        return Future.failedFuture(new ConfigException(
            "redis.expectAof (PM_REDIS_EXPECT_AOF) is true but the Redis primary has appendonly off"));
      }
      return Future.succeededFuture();
    });
  }

  public Future<Void> close() {
    return commands.close();
  }
}
