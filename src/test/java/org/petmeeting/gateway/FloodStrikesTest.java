package org.petmeeting.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * {@code limits.floodStrikes} counts {@code rate_limited} answers in a row: a client that goes over
 * a rate now and then, and is served in between, is never closed for flooding.
 */
class FloodStrikesTest {
  private static final int STRIKES = 2;
  // One send in the bucket and one more a second: every send after the first is refused within
  // the test. Other requests are plentiful.
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("PM_LIMITS_SEND_RATE_PER_SECOND", "1",
      "PM_LIMITS_SEND_BURST", "1", "PM_LIMITS_FLOOD_STRIKES", Integer.toString(STRIKES)));
  private static final Rest rest = new Rest(server);

  @Test
  void refusalsSeparatedByServedRequestsNeverAddUpToA4429Close() throws IOException {
    User a = TestUsers.create(server.app().services(), "fs-a");
    User b = TestUsers.create(server.app().services(), "fs-b");
    long room = rest.directRoom(a.token(), b.id());
    try (RawWebSocket ws = new RawWebSocket(server.port())) {
      ws.sendText(new JsonObject().put("type", "auth").put("id", "auth").put("token", a.token()).encode());
      assertThat(next(ws).getString("type")).isEqualTo("welcome");
      // One write: a send that uses the token, then refused sends, each followed by a served sync.
      int refusals = STRIKES * 3;
      List<String> frames = new ArrayList<>();
      frames.add(send(room, "first"));
      for (int i = 0; i < refusals; i++) {
        frames.add(send(room, "over" + i));
        frames.add(sync(room, "sync" + i));
      }
      ws.sendTexts(frames);
      Map<String, JsonObject> replies = new HashMap<>();
      while (replies.size() < frames.size()) {
        JsonObject r = next(ws);
        replies.put(r.getString("id"), r);
      }
      assertThat(replies.get("first").getString("type")).isEqualTo("ack");
      for (int i = 0; i < refusals; i++) {
        assertThat(replies.get("over" + i).getString("code")).as(replies.get("over" + i).encode())
            .isEqualTo("rate_limited");
        assertThat(replies.get("sync" + i).getString("type")).isEqualTo("synced");
      }
      ws.sendText(sync(room, "last"));
      assertThat(next(ws).getString("type")).as("still open after %d refusals, none in a row", refusals)
          .isEqualTo("synced");
    }
  }

  private static String send(long room, String id) {
    return new JsonObject().put("type", "send").put("id", id).put("room", room).put("cid", id).put("text", "x").encode();
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
