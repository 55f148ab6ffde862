package org.petmeeting.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.petmeeting.support.Await;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestEnv;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/** With redis.waitReplicas, an ack means the message is on the Redis replica too. */
class ReplicatedAckTest {
  private static final String REPLICA = TestEnv.env("PM_TEST_REDIS_REPLICA", "redis://127.0.0.1:16380/1");

  @Test
  void anAckedMessageIsAlreadyOnTheRedisReplica() {
    // The replica topology, as scripts/run.sh and the manifests run it.
    try (TestServer server = TestServer.start(Map.of("PM_REDIS_WAIT_REPLICAS", "1", "PM_REDIS_WAIT_TIMEOUT_MS", "5000",
        "PM_REDIS_TOPOLOGY", "replica", "PM_REDIS_ENDPOINTS", TestEnv.REDIS + "," + REPLICA))) {
      var s = server.app().services();
      User a = TestUsers.create(s, "a");
      User b = TestUsers.create(s, "b");
      long room = new Rest(server).directRoom(a.token(), b.id());
      Redis replica = Redis.createClient(s.vertx(), REPLICA);
      try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
        JsonObject ack = c.request(new JsonObject().put("type", "send").put("room", room).put("cid", "w1").put("text", "safe"));
        assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
        var entry = Await.result(replica.send(Request.cmd(Command.XRANGE).arg(RoomKeys.log(room))
            .arg(ack.getLong("seq") + "-0").arg(ack.getLong("seq") + "-0")));
        assertThat(entry.size()).isEqualTo(1);
      } finally {
        replica.close();
      }
    }
  }

  @Test
  void aSendWaitingForTheReplicaWorksAfterRedisForgotItsScripts() {
    // What a Redis restart or failover leaves: no script cached. The send runs its script and WAIT
    // in one pipeline, where the unknown-script error comes back worded differently.
    try (TestServer server = TestServer.start(Map.of("PM_REDIS_WAIT_REPLICAS", "1", "PM_REDIS_WAIT_TIMEOUT_MS", "5000"))) {
      var s = server.app().services();
      User a = TestUsers.create(s, "a");
      User b = TestUsers.create(s, "b");
      long room = new Rest(server).directRoom(a.token(), b.id());
      try (WsClient c = WsClient.authenticated(server.port(), a.token());
           WsClient d = WsClient.authenticated(server.port(), b.token())) {
        Await.result(s.redis().redis().send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
        JsonObject ack = c.request(new JsonObject().put("type", "send").put("room", room).put("cid", "nf").put("text", "again"));
        assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
        assertThat(d.next("message").getString("cid")).isEqualTo("nf");
      }
    }
  }

  @Test
  void whenTooFewReplicasConfirmTheSendIsAnsweredUnavailableAndARetryWithTheSameCidIsSafe() {
    try (TestServer server = TestServer.start(Map.of("PM_REDIS_WAIT_REPLICAS", "3", "PM_REDIS_WAIT_TIMEOUT_MS", "100"))) {
      var s = server.app().services();
      User a = TestUsers.create(s, "a");
      User b = TestUsers.create(s, "b");
      long room = new Rest(server).directRoom(a.token(), b.id());
      try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
        JsonObject first = c.request(new JsonObject().put("type", "send").put("room", room).put("cid", "w2").put("text", "x"));
        assertThat(first.getString("code")).isEqualTo("unavailable");
        JsonObject retry = c.request(new JsonObject().put("type", "send").put("room", room).put("cid", "w2").put("text", "x"));
        assertThat(retry.getString("code")).isEqualTo("unavailable");
        JsonObject sync = c.request(new JsonObject().put("type", "sync").put("room", room).put("after", 0));
        assertThat(sync.getJsonArray("messages")).hasSizeLessThanOrEqualTo(1);
      }
    }
  }
}
