package org.petmeeting.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.petmeeting.support.Await;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;
import org.petmeeting.support.WsClient;

class BackpressureAndShutdownTest {

  @Test
  void aClientThatStopsReadingIsClosedAsASlowConsumerWhileOthersKeepReceiving() {
    try (TestServer server = TestServer.start(Map.of("PM_LIMITS_OUTBOUND_QUEUE_BYTES", "65536",
        "PM_LIMITS_SEND_RATE_PER_SECOND", "100000", "PM_LIMITS_SEND_BURST", "100000",
        "PM_LIMITS_REQUEST_RATE_PER_SECOND", "100000", "PM_LIMITS_REQUEST_BURST", "100000"))) {
      var s = server.app().services();
      User a = TestUsers.create(s, "a");
      User slow = TestUsers.create(s, "slow");
      User fine = TestUsers.create(s, "fine");
      long room = new Rest(server).groupRoom(a.token(), "busy", slow.id(), fine.id());
      try (WsClient sender = WsClient.authenticated(server.port(), a.token());
           WsClient stuck = WsClient.authenticated(server.port(), slow.token());
           WsClient reader = WsClient.authenticated(server.port(), fine.token())) {
        stuck.pause();
        String text = "x".repeat(4000);
        int sent = 0;
        // Bounded: enough to fill the socket buffers and the 64 KiB queue many times over.
        while (s.metrics().slowConsumers.count() == 0 && sent < 5000) {
          sender.request(new JsonObject().put("type", "send").put("room", room).put("cid", "b" + sent).put("text", text));
          sent++;
          reader.next("message");
        }
        assertThat(sent).isLessThan(5000);
        // The paused client sees the close frame once it reads again, behind what was queued.
        stuck.resume();
        assertThat(stuck.awaitClose(Duration.ofSeconds(30))).isEqualTo((short) 1008);
        // The others were never slowed down: the healthy reader got every message, in order.
        JsonObject last = sender.request(new JsonObject().put("type", "send").put("room", room).put("cid", "last").put("text", "end"));
        assertThat(reader.next("message").getLong("seq")).isEqualTo(last.getLong("seq"));
      }
    }
  }

  @Test
  void aSyncOfLongMessagesIsCutToFitTheOutboundQueueAndThePagesAddUp() {
    try (TestServer server = TestServer.start(Map.of("PM_LIMITS_OUTBOUND_QUEUE_BYTES", "65536"))) {
      var s = server.app().services();
      User a = TestUsers.create(s, "a");
      User b = TestUsers.create(s, "b");
      long room = new Rest(server).directRoom(a.token(), b.id());
      String text = "x".repeat(4000);
      try (WsClient writer = WsClient.authenticated(server.port(), a.token())) {
        for (int i = 0; i < 30; i++) {
          writer.request(new JsonObject().put("type", "send").put("room", room).put("cid", "big" + i).put("text", text));
        }
      }
      try (WsClient reader = WsClient.authenticated(server.port(), b.token())) {
        long after = 0;
        int pages = 0;
        boolean more = true;
        while (more) {
          JsonObject page = reader.request(new JsonObject().put("type", "sync").put("room", room).put("after", after)
              .put("limit", 500));
          assertThat(page.getString("type")).as("a legal sync never costs the connection").isEqualTo("synced");
          assertThat(page.encode().length()).isLessThan(65536);
          for (Object m : page.getJsonArray("messages")) {
            assertThat(((JsonObject) m).getLong("seq")).isEqualTo(after + 1);
            after++;
          }
          more = page.getBoolean("more");
          pages++;
        }
        assertThat(after).isEqualTo(30);
        assertThat(pages).isGreaterThan(1);
      }
    }
  }

  @Test
  void onShutdownClientsAreToldToReconnectAndClosedWith1012() {
    TestServer server = TestServer.start();
    User a = TestUsers.create(server.app().services(), "leaving");
    WsClient c = WsClient.authenticated(server.port(), a.token());
    var stopping = server.app().stop();
    JsonObject reconnect = c.next("reconnect");
    assertThat(reconnect.getString("reason")).isNotBlank();
    assertThat(reconnect.getLong("afterMs")).isNotNegative();
    assertThat(c.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 1012);
    Await.result(stopping);
  }
}
