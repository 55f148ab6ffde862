package org.petmeeting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.petmeeting.chat.RoomKeys;
import org.petmeeting.support.Await;
import org.petmeeting.support.Db;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestEnv;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/**
 * With redis.waitReplicas = 0, a Redis failover to a replica that missed the last writes makes a
 * room's seq go back. MySQL keeps the first message of a (room, seq); the worker reports the other.
 */
class SequenceConflictTest {

  @Test
  void aMessageThatReusesAStoredSeqIsCountedAsAConflictNotDroppedInSilence() {
    // A Redis database of its own: another test's worker in the shared one could store a seq first.
    try (TestServer server = TestServer.start(Map.of("PM_REDIS_ENDPOINTS",
        TestEnv.env("PM_TEST_REDIS_CONFLICT", "redis://127.0.0.1:16379/6")))) {
      var s = server.app().services();
      User a = TestUsers.create(s, "a");
      User b = TestUsers.create(s, "b");
      long room = new Rest(server).directRoom(a.token(), b.id());
      try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
        for (int i = 1; i <= 5; i++) {
          c.request(new JsonObject().put("type", "send").put("room", room).put("cid", "old" + i).put("text", "old"));
        }
        Await.poll(Duration.ofSeconds(30), () -> Future.succeededFuture(Db.count(s, room) == 5 ? true : null));
        // What a replica two writes behind would hold after being promoted.
        var redis = s.redis().redis();
        Await.result(redis.send(Request.cmd(Command.SET).arg(RoomKeys.seq(room)).arg(3)));
        Await.result(redis.send(Request.cmd(Command.XDEL).arg(RoomKeys.log(room)).arg("4-0").arg("5-0")));
        Await.result(redis.send(Request.cmd(Command.XSETID).arg(RoomKeys.log(room)).arg("3-0")));
        JsonObject ack = c.request(new JsonObject().put("type", "send").put("room", room).put("cid", "new").put("text", "new"));
        assertThat(ack.getLong("seq")).isEqualTo(4L);
      }
      Double conflicts = Await.poll(Duration.ofSeconds(30), () -> Future.succeededFuture(
          s.metrics().persistConflicts.count() >= 1 ? s.metrics().persistConflicts.count() : null));
      assertThat(conflicts).isEqualTo(1.0);
      assertThat(Db.messages(s, room)).contains("4:old4");
    }
  }
}
