package org.petmeeting.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A client that behaves as the protocol asks of one: it keeps the last seq it processed, and after
 * any reconnect (to whichever node is up) syncs from it. It asserts on every message that it is
 * the next one: a gap or a repeat fails the test at once.
 */
public final class ChatMember implements AutoCloseable {
  private final String token;
  private final long userId;
  private final long room;
  private final List<Integer> ports;
  private final IntPredicate up;
  private int portIndex;
  private WsClient ws;
  private long last;
  public final List<Long> seqs = new ArrayList<>();
  public int reconnects;

  /** {@code up} says whether the node at a port may be tried now. */
  public ChatMember(String token, long room, List<Integer> ports, int firstPort, IntPredicate up) {
    this.token = token;
    this.userId = Long.parseLong(com.auth0.jwt.JWT.decode(token).getSubject());
    this.room = room;
    this.ports = ports;
    this.portIndex = ports.indexOf(firstPort);
    this.up = up;
    connect();
  }

  public int port() {
    return ports.get(portIndex);
  }

  private void connect() {
    for (int attempt = 0; attempt < ports.size() * 20; attempt++) {
      int port = ports.get(portIndex);
      if (up.test(port)) {
        try {
          ws = WsClient.authenticated(port, token);
          catchUp();
          return;
        } catch (AssertionError | RuntimeException e) {
          // that node is going away: try the next one
        }
      }
      portIndex = (portIndex + 1) % ports.size();
    }
    throw new AssertionError("no node to connect to");
  }

  private void catchUp() {
    boolean more = true;
    while (more) {
      JsonObject s = ws.request(new JsonObject().put("type", "sync").put("room", room).put("after", last));
      assertThat(s.getString("type")).as(s.encode()).isEqualTo("synced");
      for (Object o : s.getJsonArray("messages")) {
        accept((JsonObject) o);
      }
      more = s.getBoolean("more");
    }
  }

  private void accept(JsonObject m) {
    long seq = m.getLong("seq");
    assertThat(seq).as("message after %d (a gap or a repeat)", last).isEqualTo(last + 1);
    last = seq;
    seqs.add(seq);
  }

  /** Receives until the message {@code target} has been processed, reconnecting as needed. */
  public void receiveUntil(long target, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (last < target) {
      if (System.nanoTime() > end) {
        throw new AssertionError("reached seq " + last + " of " + target);
      }
      JsonObject m = ws.poll("message", Duration.ofMillis(500));
      if (m != null) {
        if (m.getLong("room") == room) {
          accept(m);
        }
      } else if (ws.isClosed()) {
        reconnects++;
        portIndex = (portIndex + 1) % ports.size();
        connect();
      }
    }
  }

  /** Sends until acked, retrying with the same cid through reconnects; returns the seq. */
  public long send(String cid, String text, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      JsonObject ack = ws.requestOrNull(new JsonObject().put("type", "send").put("room", room).put("cid", cid)
          .put("text", text), Duration.ofSeconds(5));
      if (ack != null && "ack".equals(ack.getString("type"))) {
        return ack.getLong("seq");
      }
      if (ack == null || ws.isClosed()) {
        reconnects++;
        ws.close();
        portIndex = (portIndex + 1) % ports.size();
        connect();
      }
    }
    throw new AssertionError("send " + cid + " never acked");
  }

  public long userId() {
    return userId;
  }

  public long last() {
    return last;
  }

  @Override
  public void close() {
    if (ws != null) {
      ws.close();
    }
  }
}
