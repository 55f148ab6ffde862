package org.petmeeting.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.support.RawWebSocket;
import org.petmeeting.support.Rest;
import org.petmeeting.support.TestServer;
import org.petmeeting.support.TestUsers;
import org.petmeeting.support.TestUsers.User;

/**
 * {@code limits.maxInFlight}: requests a connection pipelines beyond it are answered
 * {@code rate_limited} with {@code retryAfterMs}, those within it are answered, and pipelining
 * alone never closes the connection. The rate limits are generous here, so only this one trips;
 * the frames go out in one write, so the server handles them all before the first is answered.
 */
class InFlightLimitTest {
  private static final int MAX_IN_FLIGHT = 4;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("PM_LIMITS_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT),
      "PM_LIMITS_SEND_RATE_PER_SECOND", "10000", "PM_LIMITS_SEND_BURST", "10000",
      "PM_LIMITS_REQUEST_RATE_PER_SECOND", "10000", "PM_LIMITS_REQUEST_BURST", "10000"));
  private static final Rest rest = new Rest(server);

  @Test
  void requestsPipelinedBeyondMaxInFlightAreRateLimitedAndTheOnesWithinAreAnswered() throws IOException {
    User a = TestUsers.create(server.app().services(), "inf-a");
    User b = TestUsers.create(server.app().services(), "inf-b");
    long room = rest.directRoom(a.token(), b.id());
    try (RawWebSocket ws = authenticated(a)) {
      List<String> frames = new ArrayList<>();
      for (int i = 1; i <= MAX_IN_FLIGHT + 2; i++) {
        frames.add(send(room, "s" + i).encode());
      }
      ws.sendTexts(frames);
      Map<String, JsonObject> replies = replies(ws, MAX_IN_FLIGHT + 2);

      Set<Long> seqs = new HashSet<>();
      for (int i = 1; i <= MAX_IN_FLIGHT; i++) {
        JsonObject r = replies.get("s" + i);
        assertThat(r.getString("type")).as("request %d of %d in flight: %s", i, MAX_IN_FLIGHT, r).isEqualTo("ack");
        seqs.add(r.getLong("seq"));
      }
      assertThat(seqs).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
      for (int i = MAX_IN_FLIGHT + 1; i <= MAX_IN_FLIGHT + 2; i++) {
        JsonObject r = replies.get("s" + i);
        assertThat(r.getString("type")).as(r.encode()).isEqualTo("error");
        assertThat(r.getString("code")).isEqualTo("rate_limited");
        assertThat(r.getLong("retryAfterMs")).isPositive();
      }

      // The slots come back as the requests complete: a retry goes through.
      ws.sendText(send(room, "s" + (MAX_IN_FLIGHT + 1)).encode());
      JsonObject retried = replies(ws, 1).get("s" + (MAX_IN_FLIGHT + 1));
      assertThat(retried.getString("type")).as(retried.encode()).isEqualTo("ack");
      assertThat(retried.getLong("seq")).isEqualTo(MAX_IN_FLIGHT + 1);
    }
  }

  @Test
  void aClientSyncingEachOfItsRoomsAtOnceIsNotClosedForFlooding() throws IOException {
    // More rooms than the in-flight slots plus the flood strikes (default 5): the rejected syncs
    // alone would be enough strikes for a 4429 close if they counted as flooding.
    int floodStrikes = server.app().services().config().limits().floodStrikes();
    User u = TestUsers.create(server.app().services(), "inf-u");
    List<Long> rooms = new ArrayList<>();
    for (int i = 0; i < MAX_IN_FLIGHT + floodStrikes + 1; i++) {
      User other = TestUsers.create(server.app().services(), "inf-o");
      rooms.add(rest.directRoom(u.token(), other.id()));
    }
    try (RawWebSocket ws = authenticated(u)) {
      // What a client does after a reconnect: sync every room from its last seq, all at once.
      List<String> frames = new ArrayList<>();
      for (long room : rooms) {
        frames.add(sync(room).encode());
      }
      ws.sendTexts(frames);
      Map<String, JsonObject> replies = replies(ws, rooms.size());

      List<Long> limited = new ArrayList<>();
      for (long room : rooms) {
        JsonObject r = replies.get("sync-" + room);
        if ("error".equals(r.getString("type"))) {
          assertThat(r.getString("code")).as(r.encode()).isEqualTo("rate_limited");
          limited.add(room);
        } else {
          assertThat(r.getString("type")).as(r.encode()).isEqualTo("synced");
        }
      }
      assertThat(limited).hasSize(rooms.size() - MAX_IN_FLIGHT);

      // The connection is still open, and the refused syncs succeed when retried one by one.
      for (long room : limited) {
        ws.sendText(sync(room).encode());
        JsonObject r = replies(ws, 1).get("sync-" + room);
        assertThat(r.getString("type")).as(r.encode()).isEqualTo("synced");
      }
    }
  }

  private static RawWebSocket authenticated(User u) throws IOException {
    RawWebSocket ws = new RawWebSocket(server.port());
    ws.sendText(new JsonObject().put("type", "auth").put("id", "auth").put("token", u.token()).encode());
    JsonObject welcome = replies(ws, 1).get("auth");
    assertThat(welcome.getString("type")).as(welcome.encode()).isEqualTo("welcome");
    return ws;
  }

  /** Reads until {@code count} replies (frames with an id) have come, by id; pushes are skipped. */
  private static Map<String, JsonObject> replies(RawWebSocket ws, int count) throws IOException {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    while (out.size() < count) {
      RawWebSocket.Frame f = ws.read();
      if (f.opcode() == 8) {
        throw new AssertionError("the server closed the connection with " + f.closeCode() + " after replies " + out);
      }
      if (f.opcode() != 1) {
        continue;
      }
      JsonObject frame = new JsonObject(new String(f.payload(), StandardCharsets.UTF_8));
      if (frame.getString("id") != null) {
        out.put(frame.getString("id"), frame);
      }
    }
    return out;
  }

  private static JsonObject send(long room, String id) {
    return new JsonObject().put("type", "send").put("id", id).put("room", room).put("cid", id).put("text", "x");
  }

  private static JsonObject sync(long room) {
    return new JsonObject().put("type", "sync").put("id", "sync-" + room).put("room", room).put("after", 0);
  }
}
