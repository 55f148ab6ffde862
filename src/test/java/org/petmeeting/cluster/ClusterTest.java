package org.petmeeting.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.chat.NodePresence;
import org.petmeeting.support.Await;
import org.petmeeting.support.ChatMember;
import org.petmeeting.support.NodeProcess;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestEnv;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;

/**
 * Three clustered nodes in separate processes on loopback, and clients spread over them: every
 * message reaches every member once and in order, through a node's death and a rolling restart.
 */
class ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int NODES = 3;
  private static final List<Integer> httpPorts = new ArrayList<>();
  private static final List<Integer> hzPorts = new ArrayList<>();
  private static final Map<Integer, NodeProcess> nodes = new HashMap<>();
  // Not clustered: only used to create users and rooms and to read what MySQL holds.
  @RegisterExtension
  static final TestServer admin = TestServer.perClass();
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void startCluster() {
    for (int i = 0; i < NODES; i++) {
      httpPorts.add(TestEnv.freePort());
      hzPorts.add(TestEnv.freePort());
    }
    for (int i = 0; i < NODES; i++) {
      startNode(i);
    }
    for (int i = 0; i < NODES; i++) {
      nodes.get(httpPorts.get(i)).awaitReady(WAIT);
    }
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestEnv.REDIS);
  }

  private static NodeProcess startNode(int i) {
    List<String> members = hzPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    NodeProcess node = NodeProcess.start(httpPorts.get(i), hzPorts.get(i), members, Map.of());
    nodes.put(httpPorts.get(i), node);
    return node;
  }

  @AfterAll
  static void stopCluster() {
    nodes.values().forEach(NodeProcess::terminate);
    redis.close();
    vertx.close();
  }

  @BeforeEach
  void everyNodeUp() {
    for (int i = 0; i < NODES; i++) {
      if (!nodes.get(httpPorts.get(i)).alive()) {
        startNode(i).awaitReady(WAIT);
      }
    }
  }

  private static boolean up(int port) {
    return nodes.get(port).alive();
  }

  /** A group room of {@code size} users, member i connected to node i % 3. */
  private static List<ChatMember> spreadRoom(int size) {
    var s = admin.app().services();
    List<User> users = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      users.add(TestUsers.create(s, "c" + i));
    }
    long room = new Rest(admin).groupRoom(users.get(0).token(), "cluster",
        users.stream().skip(1).mapToLong(User::id).toArray());
    List<ChatMember> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      members.add(new ChatMember(users.get(i).token(), room, httpPorts, httpPorts.get(i % NODES), ClusterTest::up));
    }
    return members;
  }

  private static List<Long> upTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  @Test
  void clientsSpreadOverThreeNodesEachReceiveEveryMessageOnceInOrder() throws Exception {
    List<ChatMember> members = spreadRoom(6);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        ChatMember sender = members.get(s);
        int id = s;
        sends.add(pool.submit(() -> {
          for (int i = 0; i < 40; i++) {
            sender.send("n" + id + "-" + i, "hello from node " + id, WAIT);
          }
        }));
      }
      for (var f : sends) {
        f.get();
      }
      for (ChatMember m : members) {
        m.receiveUntil(120, WAIT);
        assertThat(m.seqs).containsExactlyElementsOf(upTo(120));
        assertThat(m.reconnects).isZero();
      }
    } finally {
      pool.shutdownNow();
      members.forEach(ChatMember::close);
    }
  }

  @Test
  void aKilledNodesClientsReconnectElsewhereAndEndWithEveryAckedMessageOnceAndItsPresenceExpires() throws Exception {
    List<ChatMember> members = spreadRoom(6);
    int victimPort = httpPorts.get(2);
    NodeProcess victim = nodes.get(victimPort);
    String victimId = victim.nodeId;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // Senders on the nodes that survive; the node of members 2 and 5 dies halfway.
      var a = pool.submit(() -> {
        for (int i = 0; i < 60; i++) {
          members.get(0).send("k0-" + i, "x", WAIT);
        }
      });
      var b = pool.submit(() -> {
        for (int i = 0; i < 60; i++) {
          members.get(1).send("k1-" + i, "y", WAIT);
          if (i == 30) {
            victim.kill();
          }
        }
      });
      a.get();
      b.get();
      for (ChatMember m : members) {
        m.receiveUntil(120, WAIT);
        assertThat(m.seqs).containsExactlyElementsOf(upTo(120));
      }
      assertThat(members.get(2).reconnects + members.get(5).reconnects).isPositive();
      // Its heartbeat key expires, and routing stops naming it.
      Boolean gone = Await.poll(Duration.ofSeconds(30), () -> redis.send(io.vertx.redis.client.Request
          .cmd(io.vertx.redis.client.Command.EXISTS).arg(NodePresence.nodeKey(victimId)))
          .map(r -> r.toInteger() == 0 ? Boolean.TRUE : null));
      assertThat(gone).isTrue();
      List<String> routed = Await.result(admin.app().services().chat().delivery().nodesOf(
          members.stream().map(ChatMember::userId).toList()));
      assertThat(routed).doesNotContain(victimId);
    } finally {
      pool.shutdownNow();
      members.forEach(ChatMember::close);
    }
  }

  @Test
  void aRollingRestartUnderTrafficLosesNothing() throws Exception {
    List<ChatMember> members = spreadRoom(6);
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      var sending = pool.submit(() -> {
        for (int i = 0; i < 150; i++) {
          members.get(i % 2).send("r-" + i, "rolling", WAIT);
        }
      });
      for (int i = 0; i < NODES; i++) {
        nodes.get(httpPorts.get(i)).terminate();
        startNode(i).awaitReady(WAIT);
      }
      sending.get();
      for (ChatMember m : members) {
        m.receiveUntil(150, WAIT);
        assertThat(m.seqs).containsExactlyElementsOf(upTo(150));
      }
    } finally {
      pool.shutdownNow();
      members.forEach(ChatMember::close);
    }
  }

}
