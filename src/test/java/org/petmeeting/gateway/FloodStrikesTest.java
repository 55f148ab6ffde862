package org.petmeeting.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.RawWebSocket;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;

/**
 * {@code limits.floodStrikes} counts {@code rate_limited} answers in a row: a client that now and
 * then goes over the request rate, and is served in between, is never closed for flooding.
 */
class FloodStrikesTest {
  private static final int STRIKES = 3;
  // One request in the bucket, refilled every 10 ms: two frames in one write always overrun it.
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("PM_LIMITS_REQUEST_RATE_PER_SECOND", "100",
      "PM_LIMITS_REQUEST_BURST", "1", "PM_LIMITS_FLOOD_STRIKES", Integer.toString(STRIKES)));
  private static final Rest rest = new Rest(server);

  @Test
  void refusalsSeparatedByServedRequestsNeverAddUpToA4429Close() throws Exception {
    User a = TestUsers.create(server.app().services(), "fs-a");
    User b = TestUsers.create(server.app().services(), "fs-b");
    long room = rest.directRoom(a.token(), b.id());
    try (RawWebSocket ws = new RawWebSocket(server.port())) {
      ws.sendText(new JsonObject().put("type", "auth").put("id", "auth").put("token", a.token()).encode());
      assertThat(next(ws).getString("type")).isEqualTo("welcome");
      for (int round = 0; round < STRIKES * 2; round++) {
        ws.sendTexts(List.of(sync(room, "ok" + round), sync(room, "over" + round)));
        // The refusal is immediate, the sync is answered after a Redis round trip: by id, not order.
        Map<String, JsonObject> replies = new HashMap<>();
        for (int i = 0; i < 2; i++) {
          JsonObject r = next(ws);
          replies.put(r.getString("id"), r);
        }
        JsonObject served = replies.get("ok" + round);
        JsonObject refused = replies.get("over" + round);
        assertThat(served.getString("type")).as(served.encode()).isEqualTo("synced");
        assertThat(refused.getString("code")).as(refused.encode()).isEqualTo("rate_limited");
        // As a client does: wait as long as the server said before the next request.
        Thread.sleep(refused.getLong("retryAfterMs") + 1);
      }
      ws.sendText(sync(room, "last"));
      JsonObject last = next(ws);
      assertThat(last.getString("type")).as("still open after %d refusals, none in a row", STRIKES * 2)
          .isEqualTo("synced");
    }
  }

  private static String sync(long room, String id) {
    return new JsonObject().put("type", "sync").put("id", id).put("room", room).put("after", 0).encode();
  }

  /** The next text frame that answers a request; pushes are skipped, a close fails the test. */
  private static JsonObject next(RawWebSocket ws) throws IOException {
    while (true) {
      RawWebSocket.Frame f = ws.read();
      if (f.opcode() == 8) {
        throw new AssertionError("the server closed the connection with " + f.closeCode());
      }
      if (f.opcode() == 1) {
        JsonObject frame = new JsonObject(new String(f.payload(), StandardCharsets.UTF_8));
        if (frame.getString("id") != null) {
          return frame;
        }
      }
    }
  }
}
