package org.petmeeting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.Await;
import org.petmeeting.support.Db;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestEnv;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/**
 * chat.maxPersistBacklog: while more messages than that wait for MariaDB, sends are refused with
 * unavailable instead of piling up in Redis memory; once the backlog drains they are accepted
 * again, and a refused cid retried then is stored once.
 */
class PersistBacklogLimitTest {
  private static final int LIMIT = 3;
  // A Redis database of its own: the backlog is the length of every persist stream in it.
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("PM_CHAT_MAX_PERSIST_BACKLOG", Integer.toString(LIMIT),
      "PM_REDIS_ENDPOINTS", TestEnv.env("PM_TEST_REDIS_BACKLOG_LIMIT", "redis://127.0.0.1:16379/8")));

  @Test
  void sendsAreRefusedWhileTooManyMessagesWaitForMariadbAndAcceptedOnceTheyDrain() {
    var services = server.app().services();
    User a = TestUsers.create(services, "bl");
    User b = TestUsers.create(services, "bl");
    long room = new Rest(server).directRoom(a.token(), b.id());
    // MariaDB's writer is away (as during an outage): nothing leaves the persist streams.
    Await.result(services.vertx().undeploy(server.app().deploymentId(PersistenceWorkerVerticle.class)));
    Await.result(services.redis().redis().send(Request.cmd(Command.FLUSHDB)));
    try (WsClient c = WsClient.authenticated(server.port(), a.token())) {
      int[] n = {0};
      // Acked until the router's next measurement sees more than LIMIT waiting, then refused.
      JsonObject refused = Await.poll(Duration.ofSeconds(20), () -> {
        JsonObject r = c.request(send(room, "m" + n[0]));
        if ("ack".equals(r.getString("type"))) {
          n[0]++;
          return Future.succeededFuture(null);
        }
        return Future.succeededFuture(r);
      });
      assertThat(refused.getString("code")).as(refused.encode()).isEqualTo("unavailable");
      assertThat(n[0]).isGreaterThan(LIMIT);
      assertThat(services.metrics().backlogRefusals.count()).isPositive();
      String refusedCid = "m" + n[0];

      Await.result(services.vertx().deployVerticle(new PersistenceWorkerVerticle(services),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
      // The backlog drains into MySQL; the refused message, retried with its cid, goes through.
      JsonObject retried = Await.poll(Duration.ofSeconds(20), () -> {
        JsonObject r = c.request(send(room, refusedCid));
        return Future.succeededFuture("ack".equals(r.getString("type")) ? r : null);
      });
      assertThat(retried.getBoolean("duplicate", false)).as("stored now, not before").isFalse();
      long expected = n[0] + 1;
      assertThat(Await.poll(Duration.ofSeconds(20), () -> Future.succeededFuture(
          Db.count(services, room) == expected ? Boolean.TRUE : null))).isTrue();
    }
  }

  private static JsonObject send(long room, String cid) {
    return new JsonObject().put("type", "send").put("room", room).put("cid", cid).put("text", "x");
  }
}
