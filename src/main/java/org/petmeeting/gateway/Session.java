package org.petmeeting.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.petmeeting.Services;
import org.petmeeting.accounts.Tokens;
import org.petmeeting.chat.ChatMessage;
import org.petmeeting.chat.ChatRouterVerticle;
import org.petmeeting.chat.History;
import org.petmeeting.chat.NodePresence;
import org.petmeeting.chat.RoomLog;
import org.petmeeting.chat.SharedJsonCodec;
import org.petmeeting.config.AppConfig;
import org.petmeeting.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection. Lives on its gateway instance's event loop, so its state needs no
 * locks. It parses and checks each frame, answers requests, and writes pushes through per-room
 * {@link RoomCursor}s so that each room's messages go out in seq order, once, without gaps.
 */
final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final long BAD_FRAME_WINDOW_NANOS = 60_000_000_000L;
  private static final long SEND_TIMEOUT_MS = 15_000;

  enum State { AWAITING_AUTH, AUTHENTICATING, ACTIVE, CLOSED }

  private final GatewayVerticle gateway;
  private final Services services;
  private final AppConfig.Limits limits;
  private final ServerWebSocket ws;
  private final Vertx vertx;
  // Kept as a UUID (32 bytes) rather than its 36-character string (80): written only in welcome and logs.
  final UUID id = UUID.randomUUID();
  final long openedAt = System.nanoTime();
  private final TokenBucket bucket;
  private final TokenBucket requests;
  private int inFlight;
  // Allocated on first use, as is beforeWelcome: most connections never need them, and an idle
  // connection's every byte counts 20,000 times on a node (docs/benchmarks.md).
  private Map<Long, Long> lastTyping;
  private ArrayDeque<Long> badFrames;
  final Map<Long, RoomCursor> rooms = new HashMap<>();
  private State state = State.AWAITING_AUTH;
  private Tokens.Principal principal;
  private int strikes;
  /** Pushes that arrive while the session starts; written right after welcome, which comes first. */
  private List<String> beforeWelcome;
  private long pendingBytes;
  long lastHeard = System.nanoTime();
  long lastPing = System.nanoTime();

  Session(GatewayVerticle gateway, Services services, ServerWebSocket ws, Vertx vertx) {
    this.gateway = gateway;
    this.services = services;
    this.limits = services.config().limits();
    this.ws = ws;
    this.vertx = vertx;
    this.bucket = new TokenBucket(limits.sendRatePerSecond(), limits.sendBurst(), System.nanoTime());
    this.requests = new TokenBucket(limits.requestRatePerSecond(), limits.requestBurst(), System.nanoTime());
  }

  State state() {
    return state;
  }

  long userId() {
    return principal == null ? -1 : principal.userId();
  }

  void open(String headerToken) {
    ws.frameHandler(frame -> {
      lastHeard = System.nanoTime();
      if (frame.isPing() || frame.isClose() || frame.type() == io.vertx.core.http.WebSocketFrameType.PONG) {
        return;
      }
      if (frame.isBinary() || (frame.isContinuation() && !frameIsText)) {
        frameIsText = false;
        if (frame.isFinal()) {
          badFrame(null, "binary frames are not accepted; send JSON text frames");
        }
        return;
      }
      if (frame.isText()) {
        frameIsText = true;
        partial = null;
      }
      Buffer data = frame.binaryData();
      if ((partial == null ? 0 : partial.length()) + data.length() > limits.maxFrameBytes()) {
        partial = null;
        close(ErrorCodes.CLOSE_TOO_BIG, "frame too large");
        return;
      }
      if (!frame.isFinal()) {
        partial = partial == null ? data.copy() : partial.appendBuffer(data);
        return;
      }
      Buffer whole = partial == null ? data : partial.appendBuffer(data);
      partial = null;
      onText(whole);
    });
    ws.pongHandler(b -> lastHeard = System.nanoTime());
    ws.closeHandler(v -> closed());
    ws.exceptionHandler(err -> log.debug("session {}: {}", id, err.toString()));
    if (headerToken != null) {
      authenticate(null, headerToken);
    }
  }

  private boolean frameIsText = true;
  private Buffer partial;

  private void onText(Buffer data) {
    String text;
    try {
      // Decoded strictly: invalid UTF-8 is a bad frame, not a string with replacement characters.
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data.getBytes())).toString();
    } catch (CharacterCodingException e) {
      badFrame(null, "the frame is not valid UTF-8");
      return;
    }
    JsonNode frame;
    try {
      frame = Json.MAPPER.readTree(text);
    } catch (Exception e) {
      badFrame(null, "the frame is not valid JSON");
      return;
    }
    if (frame == null || !frame.isObject()) {
      badFrame(null, "a frame must be a JSON object");
      return;
    }
    JsonNode idNode = frame.get("id");
    String reqId = null;
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isTextual() || idNode.asText().codePointCount(0, idNode.asText().length()) > 64) {
        badFrame(null, "id must be a string of at most 64 characters");
        return;
      }
      reqId = idNode.asText();
    }
    JsonNode typeNode = frame.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      badFrame(reqId, "type must be a string");
      return;
    }
    try {
      dispatch(typeNode.asText(), reqId, new Fields(frame), frame);
    } catch (BadRequest e) {
      if (ErrorCodes.BAD_REQUEST.equals(e.code)) {
        badFrame(reqId, e.getMessage());
      } else {
        error(reqId, e.code, e.getMessage());
      }
    }
  }

  private void dispatch(String type, String reqId, Fields f, JsonNode frame) {
    if (state == State.AWAITING_AUTH || state == State.AUTHENTICATING) {
      switch (type) {
        case "auth" -> {
          if (state == State.AUTHENTICATING) {
            throw new BadRequest("authentication is already in progress");
          }
          authenticate(reqId, f.string("token", 1, 8192, ErrorCodes.BAD_REQUEST));
        }
        case "ping" -> write(new Frames.Reply("pong", reqId));
        default -> error(reqId, ErrorCodes.UNAUTHORIZED, "authenticate first with an auth frame");
      }
      return;
    }
    if (state != State.ACTIVE) {
      return;
    }
    // Every request costs a token and a slot, so no single connection can fill the shared pools.
    long now = System.nanoTime();
    long wait = requests.take(now);
    if (wait > 0) {
      rateLimited(reqId, wait);
      return;
    }
    if (inFlight >= limits.maxInFlight()) {
      // A send refused here still costs a send token: sends pipelined beyond the send rate are
      // flooding, however many are in flight.
      long sendWait = "send".equals(type) ? bucket.take(now) : 0;
      if (sendWait > 0) {
        rateLimited(reqId, sendWait);
        return;
      }
      // Otherwise refused, but not a strike toward 4429: pipelining within the rates is not
      // flooding. A client syncs each of its rooms at once after a reconnect, as the contract
      // asks; with more rooms than slots and strikes, counting these closed it on every connect.
      services.metrics().rateLimited.increment();
      error(reqId, ErrorCodes.RATE_LIMITED, "too many requests in progress; retry after 1 ms", 1);
      return;
    }
    if (!"send".equals(type)) {
      // Accepted: the strikes toward 4429 count refusals in a row. (A send still faces its own
      // rate below and resets them only when it passes.)
      strikes = 0;
    }
    switch (type) {
      case "send" -> send(reqId, f);
      case "sync" -> sync(reqId, f);
      case "read" -> read(reqId, f);
      case "typing" -> typing(reqId, f);
      case "ping" -> write(new Frames.Reply("pong", reqId));
      case "auth" -> throw new BadRequest("this connection is already authenticated");
      default -> throw new BadRequest("unknown type '" + truncate(type) + "'");
    }
  }

  private static String truncate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  // ---- authentication

  private void authenticate(String reqId, String token) {
    var verified = services.tokens().verify(token);
    if (verified.isEmpty()) {
      error(reqId, ErrorCodes.UNAUTHORIZED, "the token is invalid or expired");
      close(ErrorCodes.CLOSE_UNAUTHORIZED, "unauthorized");
      return;
    }
    principal = verified.get();
    state = State.AUTHENTICATING;
    // Frames sent right behind auth wait in the socket until the session is ready for them.
    ws.pause();
    // Registered before the heads are read, so no live event can slip between the two: events
    // that arrive meanwhile are held by the cursors until their starting point is known.
    services.chat().rooms().roomsOf(principal.userId())
        .compose(roomIds -> {
          if (state == State.CLOSED) {
            return Future.succeededFuture();
          }
          for (long room : roomIds) {
            rooms.put(room, new RoomCursor());
          }
          gateway.register(this);
          return services.chat().log().heads(roomIds).onSuccess(heads -> heads.forEach((room, head) -> {
            RoomCursor c = rooms.get(room);
            if (c != null) {
              c.start(head.seq(), head.epoch()).forEach(this::writeRaw);
            }
          }));
        })
        .onSuccess(v -> {
          if (state == State.CLOSED) {
            return;
          }
          state = State.ACTIVE;
          if (services.chat().presence().connected(principal.userId()) == NodePresence.Change.FIRST) {
            gateway.announcePresence(principal.userId(), true, null);
          }
          write(new Frames.Welcome(reqId, new Frames.UserRef(principal.userId(), principal.name()), id.toString(),
              limits.pingIntervalSec(), limits.pingTimeoutSec()));
          if (beforeWelcome != null) {
            beforeWelcome.forEach(this::writeRaw);
            beforeWelcome = null;
          }
          ws.resume();
        })
        .onFailure(err -> {
          log.warn("session {} could not start: {}", id, err.toString());
          beforeWelcome = null;
          state = State.AWAITING_AUTH;
          ws.resume();
          error(reqId, ErrorCodes.UNAVAILABLE, "the server cannot start this session now; retry later");
          close(ErrorCodes.CLOSE_INTERNAL, "unavailable");
        });
  }

  // ---- requests

  private void send(String reqId, Fields f) {
    long room = f.positiveLong("room");
    String cid = f.string("cid", 1, 64, ErrorCodes.BAD_REQUEST);
    String text = f.string("text", 1, limits.maxTextChars());
    String meta = f.optionalObject("meta", limits.maxMetaBytes());
    long wait = bucket.take(System.nanoTime());
    if (wait > 0) {
      rateLimited(reqId, wait);
      return;
    }
    strikes = 0;
    long rx = System.nanoTime();
    JsonObject body = new JsonObject().put("room", room).put("from", principal.userId()).put("cid", cid)
        .put("text", text).put("rx", rx);
    if (meta != null) {
      body.put("meta", meta);
    }
    track(vertx.eventBus().<JsonObject>request(ChatRouterVerticle.SEND_ADDRESS, body,
            SharedJsonCodec.options().setSendTimeout(SEND_TIMEOUT_MS)))
        .onSuccess(reply -> {
          JsonObject r = reply.body();
          write(new Frames.Ack(reqId, room, cid, r.getLong("seq"), r.getString("ts"), r.getBoolean("duplicate")));
          services.metrics().sendToAck.record(System.nanoTime() - rx, java.util.concurrent.TimeUnit.NANOSECONDS);
        })
        .onFailure(err -> replyFailure(reqId, err));
  }

  private void rateLimited(String reqId, long retryAfterMs) {
    services.metrics().rateLimited.increment();
    if (++strikes >= limits.floodStrikes()) {
      error(reqId, ErrorCodes.RATE_LIMITED, "too many requests", retryAfterMs);
      close(ErrorCodes.CLOSE_FLOODING, "flooding");
      return;
    }
    error(reqId, ErrorCodes.RATE_LIMITED, "too many requests; retry after " + retryAfterMs + " ms", retryAfterMs);
  }

  /** Counts a request as in flight until its future completes. */
  private <T> Future<T> track(Future<T> work) {
    inFlight++;
    return work.andThen(ar -> inFlight--);
  }

  private void replyFailure(String reqId, Throwable err) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      switch (re.failureCode()) {
        case ChatRouterVerticle.FORBIDDEN -> error(reqId, ErrorCodes.FORBIDDEN, "not a member of this room");
        case ChatRouterVerticle.UNAVAILABLE -> error(reqId, ErrorCodes.UNAVAILABLE,
            "the message store is unavailable; retry later with the same cid");
        default -> error(reqId, ErrorCodes.INTERNAL, "internal error");
      }
    } else if (err instanceof History.Incomplete || isUnavailable(err)) {
      error(reqId, ErrorCodes.UNAVAILABLE, "a dependency is unavailable; retry later");
    } else {
      log.error("session {} request failed", id, err);
      error(reqId, ErrorCodes.INTERNAL, "internal error");
    }
  }

  private static boolean isUnavailable(Throwable err) {
    return err instanceof ReplyException || err instanceof java.util.concurrent.TimeoutException
        || err instanceof io.vertx.core.VertxException || err instanceof java.net.ConnectException;
  }

  private void sync(String reqId, Fields f) {
    long room = f.positiveLong("room");
    long after = f.nonNegativeLong("after", -1);
    if (after < 0) {
      throw new BadRequest("after must be a non-negative integer");
    }
    String epoch = f.optionalString("epoch", 64);
    // Above the maximum is lowered to it, however large.
    int capped = (int) f.clampedLong("limit", limits.defaultSyncLimit(), 1, limits.maxSyncLimit());
    withMembership(reqId, room, () -> services.chat().log().head(room)
        .compose(head -> {
          boolean reset = epoch != null && !epoch.equals(head.epoch());
          long from = reset ? 0 : after;
          RoomCursor c = rooms.get(room);
          // This connection pushes every seq after its live start by itself, so a sync answers
          // only up to that point: the union of both is exactly what the client lacks, once.
          long cap = c != null && c.started() ? c.liveStart() : Long.MAX_VALUE;
          return services.chat().history().after(room, from, capped, cap).map(page -> {
            List<String> frames = new ArrayList<>(page.messages().size());
            // Also bounded in size, so the reply fits the connection's outbound queue.
            long budget = limits.outboundQueueBytes() / 2;
            boolean cut = false;
            for (var m : page.messages()) {
              String json = m.toJson();
              budget -= json.length();
              if (budget < 0 && !frames.isEmpty()) {
                cut = true;
                break;
              }
              frames.add(json);
            }
            write(new Frames.Synced(reqId, room, page.epoch(), page.head(), frames, page.more() || cut, reset));
            return null;
          });
        }));
  }

  private void read(String reqId, Fields f) {
    long room = f.positiveLong("room");
    long seq = f.positiveLong("seq");
    withMembership(reqId, room, () -> services.chat().log().head(room).compose(head -> {
      if (seq > head.seq()) {
        throw new BadRequest("seq " + seq + " is beyond the room's newest message (" + head.seq() + ")");
      }
      return gateway.markRead(room, principal.userId(), seq).map(v -> {
        write(new Frames.Reply("ok", reqId));
        return null;
      });
    }));
  }

  private void typing(String reqId, Fields f) {
    long room = f.positiveLong("room");
    // Throttled here first: a typing burst from one connection never reaches Redis.
    long now = System.nanoTime();
    if (lastTyping == null) {
      lastTyping = new HashMap<>(4);
    }
    Long last = lastTyping.get(room);
    if (last != null && now - last < java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(limits.typingIntervalMs())) {
      return;
    }
    if (lastTyping.size() > 1000) {
      lastTyping.clear();
    }
    lastTyping.put(room, now);
    withMembership(reqId, room, () -> gateway.typing(room, principal.userId()));
  }

  /** Runs {@code action} when the user is a member; a non-member gets forbidden, whether the room exists or not. */
  private void withMembership(String reqId, long room, java.util.function.Supplier<Future<?>> action) {
    track(services.chat().membership().isMember(room, principal.userId())
        .compose(member -> {
          if (!member) {
            return Future.failedFuture(new BadRequest(ErrorCodes.FORBIDDEN, "not a member of this room"));
          }
          return action.get();
        }))
        .onFailure(err -> {
          if (err instanceof BadRequest b) {
            if (ErrorCodes.BAD_REQUEST.equals(b.code)) {
              badFrame(reqId, b.getMessage());
            } else {
              error(reqId, b.code, b.getMessage());
            }
          } else {
            replyFailure(reqId, err);
          }
        });
  }

  // ---- pushes

  /** A live message of a room; written now if it is next, else held until the gap is filled. */
  void offer(long room, long seq, String epoch, String json) {
    RoomCursor c = rooms.get(room);
    if (c == null) {
      return;
    }
    c.offer(seq, epoch, json).forEach(this::writeRaw);
    if (c.hasGap() && !c.repairing) {
      c.repairing = true;
      vertx.setTimer(Math.max(1, services.config().chat().gapRepairDelayMs()), t -> repair(room, c, -1));
    }
  }

  /**
   * Fills a room's gap from the log (or MySQL): the messages between what was delivered and the
   * first held one, or, when {@code upTo >= 0}, up to that head (a lost last message).
   */
  void repair(long room, RoomCursor c, long upTo) {
    long to = c.hasGap() ? c.firstHeld() - 1 : upTo;
    long from = c.last();
    if (state == State.CLOSED || rooms.get(room) != c || !c.started() || to <= from) {
      c.repairing = false;
      return;
    }
    c.repairing = true;
    services.metrics().gapRepairs.increment();
    services.chat().history().range(room, from, to).onComplete(ar -> {
      c.repairing = false;
      if (ar.failed()) {
        log.debug("session {} room {} repair failed: {}", id, room, ar.cause().toString());
        return;
      }
      for (ChatMessage m : ar.result()) {
        c.offer(m.seq(), m.epoch(), m.toJson()).forEach(this::writeRaw);
      }
      if (c.hasGap()) {
        c.repairing = true;
        vertx.setTimer(Math.max(1, services.config().chat().gapRepairDelayMs()), t -> repair(room, c, -1));
      }
    });
  }

  /**
   * The head check found the room under a new epoch (Redis lost it) before any message of that
   * epoch came: the room's newest message is pushed again, under the new epoch, so that the client
   * learns it and reloads the room (PROTOCOL.md, "A new epoch on an open connection"). MySQL stored
   * that message under the old epoch, which is why it is relabelled: offered as stored, it would
   * put the cursor back on the old epoch, reach the client as a plain repeat, and the next head
   * check would do it all again.
   */
  void restarted(long room, RoomCursor c, RoomLog.Head head) {
    if (head.seq() == 0) {
      c.restart(0, head.epoch());
      return;
    }
    c.repairing = true;
    services.chat().history().range(room, head.seq() - 1, head.seq()).onComplete(ar -> {
      c.repairing = false;
      // Failed: the next head check tries again. Same epoch: a live message of the new epoch
      // came meanwhile and told the client already.
      if (ar.succeeded() && state != State.CLOSED && rooms.get(room) == c && !head.epoch().equals(c.epoch())) {
        c.restart(head.seq() - 1, head.epoch());
        for (ChatMessage m : ar.result()) {
          c.offer(m.seq(), head.epoch(), m.withEpoch(head.epoch()).toJson()).forEach(this::writeRaw);
        }
      }
      if (c.hasGap()) {
        c.repairing = true;
        vertx.setTimer(Math.max(1, services.config().chat().gapRepairDelayMs()), t -> repair(room, c, -1));
      }
    });
  }

  /** The user joined a room: its messages are held until {@link #startRoom} gives the head. */
  RoomCursor addRoom(long room) {
    return rooms.computeIfAbsent(room, r -> new RoomCursor());
  }

  void startRoom(long room, long head) {
    RoomCursor c = rooms.get(room);
    if (c != null) {
      c.start(head).forEach(this::writeRaw);
    }
  }

  void left(long room) {
    rooms.remove(room);
  }

  // ---- writing

  void write(Object frame) {
    writeRaw(Json.write(frame));
  }

  void writeRaw(String json) {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.AUTHENTICATING) {
      if (beforeWelcome == null) {
        beforeWelcome = new ArrayList<>();
      }
      beforeWelcome.add(json);
      return;
    }
    int size = json.length();
    pendingBytes += size;
    if (pendingBytes > limits.outboundQueueBytes()) {
      services.metrics().slowConsumers.increment();
      close(ErrorCodes.CLOSE_POLICY, "slow consumer");
      return;
    }
    if (json.startsWith("{\"type\":\"message\"")) {
      services.metrics().messagesOut.increment();
    }
    ws.writeTextMessage(json).onComplete(ar -> pendingBytes -= size);
  }

  private void error(String reqId, String code, String message) {
    write(new Frames.Error(reqId, code, message));
  }

  private void error(String reqId, String code, String message, long retryAfterMs) {
    write(new Frames.Error(reqId, code, message, retryAfterMs));
  }

  private void badFrame(String reqId, String message) {
    services.metrics().badFrames.increment();
    error(reqId, ErrorCodes.BAD_REQUEST, message);
    long now = System.nanoTime();
    if (badFrames == null) {
      badFrames = new ArrayDeque<>();
    }
    badFrames.addLast(now);
    while (!badFrames.isEmpty() && now - badFrames.peekFirst() > BAD_FRAME_WINDOW_NANOS) {
      badFrames.pollFirst();
    }
    if (badFrames.size() > limits.badFramesPerMinute()) {
      close(ErrorCodes.CLOSE_POLICY, "too many bad frames");
    }
  }

  void ping() {
    lastPing = System.nanoTime();
    ws.writePing(Buffer.buffer("pm"));
  }

  void close(short code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    closed();
    ws.close(code, reason);
  }

  /** Idempotent clean-up, from our own close or the peer's. */
  private void closed() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasRegistered = principal != null && (state == State.ACTIVE);
    state = State.CLOSED;
    gateway.unregister(this);
    if (wasRegistered && services.chat().presence().disconnected(principal.userId(), System.currentTimeMillis())
        == NodePresence.Change.LAST) {
      gateway.announcePresence(principal.userId(), false, System.currentTimeMillis());
    }
  }

  /** Node shutdown: tell the client to go elsewhere, then close with 1012. */
  void goingAway(long afterMs) {
    write(new Frames.Reconnect("node shutting down", afterMs));
    close(ErrorCodes.CLOSE_RESTARTING, "node restarting");
  }
}
