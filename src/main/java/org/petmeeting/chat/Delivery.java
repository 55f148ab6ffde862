package org.petmeeting.chat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.petmeeting.redis.LuaScript;

/**
 * Sends events to the nodes that hold connections of given users: one event-bus message per
 * node, never one per connection. Each node's gateway instances all listen on the node's own
 * address, so cluster-wide registrations grow with nodes, not with rooms or connections.
 */
public final class Delivery {
  private static final LuaScript ROUTE = LuaScript.load("route_nodes");

  private final Vertx vertx;
  private final Redis redis;
  private final String nodeId;
  private final boolean clustered;

  public Delivery(Vertx vertx, Redis redis, String nodeId, boolean clustered) {
    this.vertx = vertx;
    this.redis = redis;
    this.nodeId = nodeId;
    this.clustered = clustered;
  }

  public static String nodeAddress(String nodeId) {
    return "pm.node." + nodeId;
  }

  public String localAddress() {
    return nodeAddress(nodeId);
  }

  /** Publishes {@code event} to every node that holds a connection of one of {@code users}. */
  public Future<Void> toUsers(Collection<Long> users, JsonObject event) {
    if (!clustered) {
      // One node: every connection is here, and the presence lookup would only cost a round trip.
      vertx.eventBus().publish(localAddress(), event, SharedJsonCodec.OPTIONS);
      return Future.succeededFuture();
    }
    return nodesOf(users).map(nodes -> {
      for (String node : nodes) {
        vertx.eventBus().publish(nodeAddress(node), event, SharedJsonCodec.OPTIONS);
      }
      return null;
    });
  }

  /** The live nodes holding connections of these users. */
  public Future<List<String>> nodesOf(Collection<Long> users) {
    if (users.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> args = new ArrayList<>(users.size());
    users.forEach(u -> args.add(Long.toString(u)));
    return ROUTE.run(redis, List.of(), args).map(r -> {
      List<String> nodes = new ArrayList<>(r.size());
      r.forEach(n -> nodes.add(n.toString()));
      return nodes;
    });
  }
}
