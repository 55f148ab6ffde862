package org.petmeeting.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw WebSocket test client: frames it receives queue up for the test thread, which takes them
 * with a deadline. It speaks the wire contract with plain JSON, as a foreign client would.
 */
public final class WsClient implements AutoCloseable {
  private static final Vertx VERTX = Vertx.vertx();
  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final List<JsonObject> stash = new java.util.LinkedList<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private int nextId;

  private WsClient(WebSocket ws) {
    this.ws = ws;
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  public static WsClient connect(int port) {
    return connect(port, null, null);
  }

  public static WsClient connect(int port, String bearer, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
    if (bearer != null) {
      options.addHeader("Authorization", "Bearer " + bearer);
    }
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    var client = VERTX.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(16 << 20));
    // Handlers are set on the connection's event loop as it completes: set afterwards from this
    // thread, a frame the server sends at once (the welcome of a header-authenticated connection)
    // could come before them and be dropped.
    return Await.result(client.connect(options).map(WsClient::new));
  }

  /** Connects, authenticates with a first frame and returns once welcomed. */
  public static WsClient authenticated(int port, String token) {
    WsClient c = connect(port);
    JsonObject welcome = c.request(new JsonObject().put("type", "auth").put("token", token));
    if (!"welcome".equals(welcome.getString("type"))) {
      throw new AssertionError("expected welcome, got " + welcome);
    }
    return c;
  }

  public void send(JsonObject frame) {
    Await.result(ws.writeTextMessage(frame.encode()));
  }

  public void sendText(String text) {
    Await.result(ws.writeTextMessage(text));
  }

  public void sendFrame(WebSocketFrame frame) {
    Await.result(ws.writeFrame(frame));
  }

  public void sendBinary(byte[] bytes) {
    Await.result(ws.writeBinaryMessage(Buffer.buffer(bytes)));
  }

  /** Sends a request with a fresh id and returns the reply carrying that id. */
  public JsonObject request(JsonObject frame) {
    String id = "r" + (++nextId);
    send(frame.copy().put("id", id));
    return next(f -> id.equals(f.getString("id")), Duration.ofSeconds(20));
  }

  /**
   * The next frame matching {@code p}. Frames passed over stay, in arrival order, for later calls:
   * they sit in {@code stash}, which is searched before anything newer is taken from the socket.
   */
  public synchronized JsonObject next(Predicate<JsonObject> p, Duration timeout) {
    for (var it = stash.iterator(); it.hasNext(); ) {
      JsonObject f = it.next();
      if (p.test(f)) {
        it.remove();
        return f;
      }
    }
    long end = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = end - System.nanoTime();
        JsonObject f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
        if (f == null) {
          throw new AssertionError("no matching frame within " + timeout + "; unmatched " + stash);
        }
        if (p.test(f)) {
          return f;
        }
        stash.add(f);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame of {@code type}, or null when none comes in time or the connection closed. */
  public JsonObject poll(String type, Duration timeout) {
    try {
      return next(f -> type.equals(f.getString("type")), timeout);
    } catch (AssertionError e) {
      return null;
    }
  }

  /** Sends a request; its reply, or null when none comes in time (a closed connection, say). */
  public JsonObject requestOrNull(JsonObject frame, Duration timeout) {
    String id = "r" + (++nextId);
    try {
      if (isClosed()) {
        return null;
      }
      send(frame.copy().put("id", id));
      return next(f -> id.equals(f.getString("id")), timeout);
    } catch (AssertionError e) {
      return null;
    }
  }

  public JsonObject next(String type) {
    return next(f -> type.equals(f.getString("type")), Duration.ofSeconds(20));
  }

  /** Every frame of {@code type} until {@code count} have arrived. */
  public List<JsonObject> collect(String type, int count, Duration timeout) {
    List<JsonObject> out = new ArrayList<>();
    long end = System.nanoTime() + timeout.toNanos();
    while (out.size() < count) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("got " + out.size() + " of " + count + " " + type + " frames");
      }
      out.add(next(f -> type.equals(f.getString("type")), Duration.ofNanos(left)));
    }
    return out;
  }

  /** Frames already received and not yet taken, without waiting. */
  public synchronized List<JsonObject> drain() {
    List<JsonObject> out = new ArrayList<>(stash);
    stash.clear();
    frames.drainTo(out);
    return out;
  }

  /** Waits for the server to close; returns the close code. */
  public short awaitClose(Duration timeout) {
    try {
      Short code = closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return code == null ? -1 : code;
    } catch (Exception e) {
      throw new AssertionError("connection not closed within " + timeout, e);
    }
  }

  /** Stops reading from the socket, so the server's writes back up (a slow consumer). */
  public void pause() {
    ws.pause();
  }

  public void resume() {
    ws.resume();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close();
    }
  }
}
