package org.petmeeting.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestEnv;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/** Cluster-wide event-bus registrations grow with nodes, never with rooms or connections. */
class ClusterRegistrationsTest {

  private static int clusterRegistrations(TestServer node) {
    var manager = (HazelcastClusterManager) ((VertxInternal) node.app().services().vertx()).clusterManager();
    return manager.getHazelcastInstance().getMultiMap("__vertx.subs").size();
  }

  @Test
  void registrationsDoNotGrowWithRoomsOrConnections() {
    int hz1 = TestEnv.freePort();
    int hz2 = TestEnv.freePort();
    String members = "127.0.0.1:" + hz1 + ",127.0.0.1:" + hz2;
    Map<String, String> common = Map.of("PM_CLUSTER_ENABLED", "true", "PM_CLUSTER_HOST", "127.0.0.1",
        "PM_CLUSTER_MEMBERS", members);
    try (TestServer one = TestServer.start(with(common, "PM_CLUSTER_PORT", hz1));
         TestServer two = TestServer.start(with(common, "PM_CLUSTER_PORT", hz2))) {
      int before = clusterRegistrations(one);
      assertThat(before).isPositive();

      Rest rest = new Rest(one);
      List<WsClient> clients = new ArrayList<>();
      try {
        User owner = TestUsers.create(one.app().services(), "reg");
        for (int i = 0; i < 20; i++) {
          User other = TestUsers.create(one.app().services(), "reg" + i);
          long room = rest.directRoom(owner.token(), other.id());
          clients.add(WsClient.authenticated(i % 2 == 0 ? one.port() : two.port(), other.token()));
          clients.get(clients.size() - 1).request(new JsonObject().put("type", "sync").put("room", room).put("after", 0));
        }
        for (int i = 0; i < 20; i++) {
          clients.add(WsClient.authenticated(i % 2 == 0 ? one.port() : two.port(), owner.token()));
        }
        assertThat(clusterRegistrations(one)).isEqualTo(before);
        assertThat(clusterRegistrations(two)).isEqualTo(before);
      } finally {
        clients.forEach(WsClient::close);
      }
    }
  }

  private static Map<String, String> with(Map<String, String> base, String key, int value) {
    Map<String, String> m = new java.util.HashMap<>(base);
    m.put(key, Integer.toString(value));
    return m;
  }
}
