package org.petmeeting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.chat.RoomKeys;
import org.petmeeting.support.Await;
import org.petmeeting.support.Db;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestEnv;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/** Entries a worker read and never acknowledged (it died) are taken over by another; none lost. */
class WorkerTakeoverTest {
  // A Redis database of its own: no other test server's worker may read the entries first.
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("PM_CHAT_PERSIST_CLAIM_IDLE_MS", "500",
      "PM_REDIS_ENDPOINTS", TestEnv.env("PM_TEST_REDIS_TAKEOVER", "redis://127.0.0.1:16379/3")));

  @Test
  void entriesPendingOnADeadWorkerAreClaimedByAnotherAndStoredOnce() {
    var services = server.app().services();
    // The node's own worker is stopped, so the entries wait for the "dead" consumer below.
    Await.result(services.vertx().undeploy(server.app().deploymentId(PersistenceWorkerVerticle.class)));
    User a = TestUsers.create(services, "a");
    User b = TestUsers.create(services, "b");
    long room = new Rest(server).directRoom(a.token(), b.id());
    List<String> acked = new ArrayList<>();
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token())) {
      for (int i = 0; i < 30; i++) {
        JsonObject ack = a1.request(new JsonObject().put("type", "send").put("room", room).put("cid", "p" + i).put("text", "x"));
        acked.add(ack.getLong("seq") + ":p" + i);
      }
    }
    String stream = RoomKeys.persist(room, services.config().chat().persistPartitions());
    var redis = services.redis().redis();
    // A worker that reads the entries and dies before writing them.
    var read = Await.result(redis.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(PersistenceWorkerVerticle.GROUP)
        .arg("dead-worker").arg("COUNT").arg(10_000).arg("STREAMS").arg(stream).arg(">")));
    assertThat(read).isNotNull();
    assertThat(Db.count(services, room)).isZero();

    Await.result(services.vertx().deployVerticle(new PersistenceWorkerVerticle(services, "successor")));

    List<String> stored = Await.poll(Duration.ofSeconds(60), () -> Future.succeededFuture(
        Db.count(services, room) >= 30 ? Db.messages(services, room) : null));
    assertThat(stored).containsExactlyElementsOf(acked);
    var pending = Await.result(redis.send(Request.cmd(Command.XPENDING).arg(stream).arg(PersistenceWorkerVerticle.GROUP)
        .arg("-").arg("+").arg(10_000).arg("dead-worker")));
    assertThat(pending.size()).isZero();
  }
}
