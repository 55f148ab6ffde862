package org.petmeeting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.petmeeting.support.Await;
import org.petmeeting.support.Db;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestEnv;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/** Entries of a room deleted before they were stored are dropped; they never block the others. */
class DeletedRoomEntriesTest {

  @Test
  void messagesOfADeletedRoomAreDroppedAndTheRestOfTheBatchIsStored() {
    try (TestServer server = TestServer.start(Map.of(
        "PM_REDIS_ENDPOINTS", TestEnv.env("PM_TEST_REDIS_DELETED", "redis://127.0.0.1:16379/4")))) {
      var s = server.app().services();
      Await.result(s.vertx().undeploy(server.app().deploymentId(PersistenceWorkerVerticle.class)));
      User a = TestUsers.create(s, "a");
      User b = TestUsers.create(s, "b");
      User c = TestUsers.create(s, "c");
      Rest rest = new Rest(server);
      long doomed = rest.directRoom(a.token(), b.id());
      long kept = rest.directRoom(a.token(), c.id());
      try (WsClient ws = WsClient.authenticated(server.port(), a.token())) {
        for (int i = 0; i < 3; i++) {
          ws.request(new JsonObject().put("type", "send").put("room", doomed).put("cid", "d" + i).put("text", "x"));
          ws.request(new JsonObject().put("type", "send").put("room", kept).put("cid", "k" + i).put("text", "y"));
        }
      }
      Await.result(s.db().primary().preparedQuery("DELETE FROM rooms WHERE id = ?").execute(Tuple.of(doomed)));
      double droppedBefore = s.metrics().persistDropped.count();

      Await.result(s.vertx().deployVerticle(new PersistenceWorkerVerticle(s, "after-delete")));

      Await.poll(Duration.ofSeconds(30), () -> Future.succeededFuture(Db.count(s, kept) == 3 ? true : null));
      assertThat(Db.messages(s, kept)).containsExactly("1:k0", "2:k1", "3:k2");
      assertThat(s.metrics().persistDropped.count() - droppedBefore).isEqualTo(3.0);
      assertThat(Db.count(s, doomed)).isZero();
    }
  }
}
