package org.petmeeting.chat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence table in Redis: {@code pu:<user>} is the set of nodes holding that user's
 * connections, {@code node:<id>} a key this node keeps alive with a heartbeat. When a node dies
 * its heartbeat expires and routing ignores (and then removes) its entries.
 */
public final class NodePresence {
  private static final Logger log = LoggerFactory.getLogger(NodePresence.class);

  /** A user's first connection on this node, or the last one gone. */
  public enum Change { FIRST, LAST, NONE }

  private final RedisAPI redis;
  private final String nodeId;
  private final int ttlSeconds;
  private final ConcurrentHashMap<Long, Integer> local = new ConcurrentHashMap<>();

  public NodePresence(RedisAPI redis, String nodeId, int ttlSeconds) {
    this.redis = redis;
    this.nodeId = nodeId;
    this.ttlSeconds = ttlSeconds;
  }

  public static String userKey(long user) {
    return "pu:" + user;
  }

  public static String nodeKey(String nodeId) {
    return "node:" + nodeId;
  }

  public static String lastSeenKey(long user) {
    return "ls:" + user;
  }

  public Future<Void> heartbeat() {
    return redis.set(List.of(nodeKey(nodeId), "1", "EX", Integer.toString(ttlSeconds))).mapEmpty();
  }

  /** Starts heartbeats at a third of the expiry, so two may be lost before the node looks dead. */
  public long startHeartbeats(Vertx vertx) {
    long interval = Math.max(1000, ttlSeconds * 1000L / 3);
    return vertx.setPeriodic(interval, id -> heartbeat()
        .onFailure(err -> log.warn("presence heartbeat failed: {}", err.getMessage())));
  }

  public Change connected(long user) {
    int n = local.merge(user, 1, Integer::sum);
    if (n == 1) {
      redis.sadd(List.of(userKey(user), nodeId))
          .onFailure(err -> log.warn("presence of user {} not recorded: {}", user, err.getMessage()));
      return Change.FIRST;
    }
    return Change.NONE;
  }

  public Change disconnected(long user, long nowMillis) {
    Integer n = local.computeIfPresent(user, (k, v) -> v <= 1 ? null : v - 1);
    if (n == null) {
      redis.srem(List.of(userKey(user), nodeId));
      redis.set(List.of(lastSeenKey(user), Long.toString(nowMillis), "EX", Integer.toString(30 * 86_400)));
      return Change.LAST;
    }
    return Change.NONE;
  }

  /** Users with a connection on this node now. */
  public int localUsers() {
    return local.size();
  }

  /** On shutdown: this node holds nobody any more. */
  public Future<Void> leave() {
    return redis.del(List.of(nodeKey(nodeId))).mapEmpty();
  }
}
