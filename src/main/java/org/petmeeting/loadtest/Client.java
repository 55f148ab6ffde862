package org.petmeeting.loadtest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.petmeeting.http.Json;

/**
 * One simulated user with one WebSocket connection, living on one event loop of the tool (its
 * {@link Lane}), so its state needs no locks. It sends with cids that carry the send time, and
 * accounts for every message it receives: per room, the set of seqs received (a repeat is a
 * duplicate, a seq below the highest seen is out of order) and the seqs it had acked as sender.
 * After a dropped connection it behaves as the contract asks (docs/PROTOCOL.md, notes): it
 * reconnects, syncs each room from the last seq it holds, applies the synced pages before the live
 * messages that arrived meanwhile, and retries unacked sends with the same cid.
 */
final class Client {
  private static final JsonFactory JSON = Json.MAPPER.getFactory();
  private static final int MAX_RECONNECTS = 20;
  private static final int MAX_RETRIES = 50;
  private static final int MAX_START_ATTEMPTS = 5;
  /** What a desktop browser adds to a WebSocket upgrade (besides Origin), for --browser-headers. */
  private static final Map<String, String> BROWSER_HEADERS = Map.of(
      "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Accept-Encoding", "gzip, deflate, br, zstd",
      "Accept-Language", "en-GB,en;q=0.9,fr;q=0.8",
      "Cache-Control", "no-cache",
      "Pragma", "no-cache",
      "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");

  enum State { NEW, CONNECTING, AUTHENTICATING, ACTIVE, WAITING, CLOSED }

  /** What this client knows of one of its rooms. */
  static final class Track {
    final long room;
    final int members;
    final BitSet received = new BitSet();
    final BitSet acked = new BitSet();
    long maxSeen;
    boolean syncing;
    /** Live messages that arrived while the room was syncing, in arrival order. */
    List<Held> held;

    Track(long room, int members) {
      this.room = room;
      this.members = members;
    }

    long contiguous() {
      return received.nextClearBit(1) - 1;
    }
  }

  record Held(long seq, String cid) {}

  private record Pending(Track track, String cid, long sentNanos, int attempts) {}

  record SendFrame(String type, String id, long room, String cid, String text) {}

  record SyncFrame(String type, String id, long room, long after, int limit) {}

  record AuthFrame(String type, String id, String token) {}

  final int index;
  final Provisioning.Account account;
  final Track[] tracks;
  private final Map<Long, Track> byRoom = new HashMap<>();
  private final Lane lane;
  private final Stats stats;
  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
  private WebSocket ws;
  private State state = State.NEW;
  private int nextRoom;
  private long sendCounter;
  private int reconnectAttempts;
  private int startAttempts;
  private Promise<Void> welcomed;

  Client(Lane lane, Provisioning.Account account, List<Track> tracks) {
    this.lane = lane;
    this.stats = lane.stats;
    this.index = account.index();
    this.account = account;
    this.tracks = tracks.toArray(new Track[0]);
    for (Track t : this.tracks) {
      byRoom.put(t.room, t);
    }
  }

  State state() {
    return state;
  }

  boolean active() {
    return state == State.ACTIVE;
  }

  boolean hasRooms() {
    return tracks.length > 0;
  }

  int pendingCount() {
    return pending.size();
  }

  // ---- connecting

  /** Connects and authenticates; completes at the first welcome (failing after a few tries). */
  Future<Void> start() {
    welcomed = Promise.promise();
    connect(3);
    return welcomed.future();
  }

  private void connect(int triesLeft) {
    state = State.CONNECTING;
    WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(wsUri(account.url()))
        .setTimeout(30_000);
    if (lane.settings().browserHeaders()) {
      BROWSER_HEADERS.forEach(options::addHeader);
      options.addHeader("Origin", account.url());
    }
    lane.webSockets().connect(options).onComplete(ar -> {
      if (ar.failed()) {
        stats.error("connect_failed");
        if (lane.stopping()) {
          state = State.CLOSED;
        } else if (triesLeft > 1) {
          lane.vertx().setTimer(200, t -> connect(triesLeft - 1));
          return;
        } else if (welcomed.future().isComplete()) {
          scheduleReconnect();
          return;
        } else {
          state = State.CLOSED;
        }
        welcomed.tryFail(ar.cause());
        return;
      }
      attach(ar.result());
    });
  }

  static String wsUri(String base) {
    String b = base.replaceFirst("^http", "ws");
    return b + "/ws";
  }

  private void attach(WebSocket socket) {
    ws = socket;
    state = State.AUTHENTICATING;
    socket.textMessageHandler(this::onFrame);
    socket.exceptionHandler(err -> { });
    socket.closeHandler(v -> onClosed(socket));
    write(Json.write(new AuthFrame("auth", "auth", account.token())));
  }

  private void onClosed(WebSocket socket) {
    if (socket != ws || state == State.CLOSED) {
      return;
    }
    if (lane.stopping()) {
      state = State.CLOSED;
      return;
    }
    boolean wasActive = state == State.ACTIVE;
    if (wasActive) {
      stats.connected.decrement();
    }
    Short code = socket.closeStatusCode();
    stats.error("closed_" + (code == null ? "no_code" : code.toString()));
    if (!welcomed.future().isComplete()) {
      // Not started yet (the server answered unavailable, say): try again a few times, as a
      // client should, before counting this client as one that could not connect.
      if (++startAttempts < MAX_START_ATTEMPTS) {
        state = State.WAITING;
        lane.vertx().setTimer(500L * startAttempts, t -> {
          if (!lane.stopping()) {
            connect(3);
          }
        });
      } else {
        state = State.CLOSED;
        welcomed.tryFail("closed before welcome: " + code);
      }
      return;
    }
    if (!lane.settings().reconnect()) {
      state = State.CLOSED;
      return;
    }
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (++reconnectAttempts > MAX_RECONNECTS) {
      stats.error("gave_up_reconnecting");
      state = State.CLOSED;
      return;
    }
    state = State.WAITING;
    stats.reconnects.increment();
    lane.vertx().setTimer(Math.min(2000, 100L * reconnectAttempts), t -> {
      if (!lane.stopping()) {
        connect(1);
      }
    });
  }

  void close() {
    State before = state;
    state = State.CLOSED;
    if (before == State.ACTIVE) {
      stats.connected.decrement();
    }
    if (ws != null && !ws.isClosed()) {
      ws.close();
    }
  }

  // ---- sending

  /** What {@link #sendOne} did. */
  enum Sent { SENT, NOT_CONNECTED, TOO_MANY_PENDING }

  /** Sends one message to the next of its rooms, unless it is not connected or has too many unacked. */
  Sent sendOne() {
    if (state != State.ACTIVE || tracks.length == 0) {
      return Sent.NOT_CONNECTED;
    }
    if (pending.size() >= lane.settings().maxPending()) {
      return Sent.TOO_MANY_PENDING;
    }
    Track t = tracks[nextRoom++ % tracks.length];
    long now = System.nanoTime();
    // The cid carries the send time: a recipient measures send-to-deliver with it (one process, one clock).
    String cid = index + "." + (++sendCounter) + "." + now;
    Pending p = new Pending(t, cid, now, 1);
    pending.put(cid, p);
    stats.sent.increment();
    stats.pending.increment();
    writeSend(p);
    return Sent.SENT;
  }

  private void writeSend(Pending p) {
    write(Json.write(new SendFrame("send", p.cid(), p.track().room, p.cid(), lane.text())));
  }

  private void write(String frame) {
    if (ws != null && !ws.isClosed()) {
      ws.writeTextMessage(frame);
    }
  }

  private void retry(Pending p, long afterMs) {
    if (p.attempts() >= MAX_RETRIES) {
      pending.remove(p.cid());
      stats.pending.decrement();
      stats.error("send_gave_up");
      return;
    }
    Pending again = new Pending(p.track(), p.cid(), p.sentNanos(), p.attempts() + 1);
    pending.put(p.cid(), again);
    lane.vertx().setTimer(Math.max(1, afterMs), t -> {
      if (state == State.ACTIVE && pending.get(p.cid()) == again) {
        writeSend(again);
      }
    });
  }

  // ---- receiving

  /** The fields of a frame the tool looks at; message frames are read only as far as needed. */
  private static final class Frame {
    String type;
    String id;
    long room;
    long seq;
    String cid;
    String code;
    long retryAfterMs;
    boolean needsTree;
  }

  private void onFrame(String text) {
    long now = System.nanoTime();
    Frame f;
    try {
      f = scan(text);
    } catch (IOException e) {
      stats.error("unparsable_frame");
      return;
    }
    if (f.type == null) {
      stats.error("frame_without_type");
      return;
    }
    switch (f.type) {
      case "message" -> onMessage(f.room, f.seq, f.cid, now);
      case "ack" -> onAck(f, now);
      case "welcome" -> onWelcome();
      case "synced" -> onSynced(text, now);
      case "error" -> onError(f);
      default -> {
        // presence, room, receipt, typing, pong, reconnect: not accounted
      }
    }
  }

  private static Frame scan(String text) throws IOException {
    Frame f = new Frame();
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return f;
      }
      int needed = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "type" -> f.type = p.getText();
          case "id" -> f.id = p.getText();
          case "room" -> { f.room = p.getLongValue(); needed++; }
          case "seq" -> { f.seq = p.getLongValue(); needed++; }
          case "cid" -> { f.cid = p.getText(); needed++; }
          case "code" -> f.code = p.getText();
          case "retryAfterMs" -> f.retryAfterMs = p.getLongValue();
          default -> {
            if (v == JsonToken.START_ARRAY || v == JsonToken.START_OBJECT) {
              f.needsTree = true;
              p.skipChildren();
            }
          }
        }
        // A message's text and the fields after it are not needed.
        if ("message".equals(f.type) && needed == 3) {
          break;
        }
      }
    }
    return f;
  }

  private void onWelcome() {
    if (state != State.AUTHENTICATING) {
      return;
    }
    state = State.ACTIVE;
    stats.connected.increment();
    if (!welcomed.future().isComplete()) {
      welcomed.complete();
      return;
    }
    // A reconnect: catch up each room, then retry what was never acked, with the same cids.
    reconnectAttempts = 0;
    for (Track t : tracks) {
      t.syncing = true;
      t.held = new ArrayList<>();
      requestSync(t, t.contiguous());
    }
    for (Pending p : List.copyOf(pending.values())) {
      writeSend(p);
    }
  }

  private void requestSync(Track t, long after) {
    stats.syncs.increment();
    write(Json.write(new SyncFrame("sync", "sync." + t.room, t.room, after, 500)));
  }

  private void onSynced(String text, long now) {
    JsonNode s;
    try {
      s = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      stats.error("unparsable_synced");
      return;
    }
    Track t = byRoom.get(s.path("room").asLong());
    if (t == null || !t.syncing) {
      stats.error("unexpected_synced");
      return;
    }
    long lastSeq = -1;
    for (JsonNode m : s.path("messages")) {
      lastSeq = m.path("seq").asLong();
      accept(t, lastSeq, m.path("cid").asText(), now);
    }
    if (s.path("more").asBoolean() && lastSeq > 0) {
      requestSync(t, lastSeq);
      return;
    }
    // Synced pages first, then the live messages that arrived meanwhile, in arrival order.
    t.syncing = false;
    List<Held> held = t.held;
    t.held = null;
    for (Held h : held) {
      accept(t, h.seq(), h.cid(), now);
    }
  }

  private void onMessage(long room, long seq, String cid, long now) {
    Track t = byRoom.get(room);
    if (t == null) {
      stats.error("message_for_unknown_room");
      return;
    }
    if (t.syncing) {
      t.held.add(new Held(seq, cid));
      return;
    }
    accept(t, seq, cid, now);
  }

  private void accept(Track t, long seq, String cid, long now) {
    if (seq <= 0 || seq > Integer.MAX_VALUE) {
      stats.error("bad_seq");
      return;
    }
    int s = (int) seq;
    if (t.received.get(s)) {
      stats.duplicates.increment();
      return;
    }
    t.received.set(s);
    if (seq < t.maxSeen) {
      stats.outOfOrder.increment();
    } else {
      t.maxSeen = seq;
    }
    stats.delivered.increment();
    long sentNanos = sentNanos(cid);
    if (sentNanos != Long.MIN_VALUE) {
      stats.deliver(sentNanos, now);
    }
  }

  static long sentNanos(String cid) {
    int dot = cid == null ? -1 : cid.lastIndexOf('.');
    if (dot < 0) {
      return Long.MIN_VALUE;
    }
    try {
      return Long.parseLong(cid, dot + 1, cid.length(), 10);
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  private void onAck(Frame f, long now) {
    Pending p = f.cid == null ? null : pending.remove(f.cid);
    if (p == null) {
      stats.error("ack_without_pending_send");
      return;
    }
    stats.pending.decrement();
    if (f.seq <= 0 || f.seq > Integer.MAX_VALUE || f.room != p.track().room) {
      stats.error("bad_ack");
    } else {
      // The first ack of a cid counts, duplicate or not: a retried send's first ack may have been lost.
      p.track().acked.set((int) f.seq);
      stats.acked.increment();
      stats.expectedDeliveries.add(p.track().members);
      stats.ack(p.sentNanos(), now);
    }
    if (lane.closedLoopSending()) {
      sendOne();
    }
  }

  private void onError(Frame f) {
    String code = f.code == null ? "unknown" : f.code;
    stats.error("error_" + code);
    if (f.id == null) {
      return;
    }
    if ("auth".equals(f.id)) {
      // unauthorized is final; anything else (unavailable) is retried when the server closes.
      if ("unauthorized".equals(code) && !welcomed.future().isComplete()) {
        welcomed.tryFail("auth refused: " + code);
      }
      return;
    }
    if (f.id.startsWith("sync.")) {
      // The sync failed (unavailable): ask again shortly from where the room stands.
      Track t = byRoom.get(Long.parseLong(f.id.substring(5)));
      if (t != null && t.syncing) {
        lane.vertx().setTimer(200, x -> requestSync(t, t.contiguous()));
      }
      return;
    }
    Pending p = pending.get(f.id);
    if (p == null) {
      return;
    }
    switch (code) {
      case "rate_limited" -> retry(p, f.retryAfterMs > 0 ? f.retryAfterMs : 50);
      case "unavailable" -> retry(p, 100);
      default -> {
        pending.remove(f.id);
        stats.pending.decrement();
        if (lane.closedLoopSending()) {
          sendOne();
        }
      }
    }
  }
}
