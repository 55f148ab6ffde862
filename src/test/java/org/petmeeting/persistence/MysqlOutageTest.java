package org.petmeeting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.Await;
import org.petmeeting.support.Db;
import org.petmeeting.support.LocalEnv;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

/** The MySQL primary goes away while people chat: sends still ack, and nothing acked is lost. */
class MysqlOutageTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(java.util.Map.of("PM_LIMITS_SEND_RATE_PER_SECOND", "1000",
      "PM_LIMITS_SEND_BURST", "1000", "PM_LIMITS_REQUEST_RATE_PER_SECOND", "1000", "PM_LIMITS_REQUEST_BURST", "1000"));

  @AfterAll
  static void startThePrimaryAgain() {
    LocalEnv.start("mysql-primary");
  }

  @Test
  void sendsAckWhileThePrimaryIsDownAndEveryAckedMessageIsInMysqlExactlyOnceAfterItReturns() {
    var services = server.app().services();
    User a = TestUsers.create(services, "a");
    User b = TestUsers.create(services, "b");
    long room = new Rest(server).directRoom(a.token(), b.id());
    List<String> acked = new ArrayList<>();
    try (WsClient a1 = WsClient.authenticated(server.port(), a.token());
         WsClient b1 = WsClient.authenticated(server.port(), b.token())) {
      for (int i = 0; i < 5; i++) {
        acked.add(ack(a1, room, "before-" + i));
      }
      LocalEnv.stop("mysql-primary");
      try {
        for (int i = 0; i < 50; i++) {
          acked.add(ack(a1, room, "during-" + i));
        }
        assertThat(b1.collect("message", 55, Duration.ofSeconds(30))).extracting(m -> m.getLong("seq"))
            .containsExactly(java.util.stream.LongStream.rangeClosed(1, 55).boxed().toArray(Long[]::new));
      } finally {
        LocalEnv.start("mysql-primary");
      }
      List<String> stored = Await.poll(Duration.ofSeconds(90), () -> Future.succeededFuture(
          Db.count(services, room) >= 55 ? Db.messages(services, room) : null));
      assertThat(stored).containsExactlyElementsOf(acked);
    }
  }

  private static String ack(WsClient c, long room, String cid) {
    JsonObject ack = c.request(new JsonObject().put("type", "send").put("room", room).put("cid", cid).put("text", cid));
    assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
    return ack.getLong("seq") + ":" + cid;
  }
}
