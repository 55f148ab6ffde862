package org.petmeeting.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.petmeeting.Services;
import org.petmeeting.chat.Chat;
import org.petmeeting.chat.Delivery;
import org.petmeeting.chat.Events;
import org.petmeeting.chat.RoomKeys;
import org.petmeeting.config.AppConfig;
import org.petmeeting.health.HealthRoutes;
import org.petmeeting.http.Problem;
import org.petmeeting.http.Problems;
import org.petmeeting.http.RestApi;
import org.petmeeting.redis.LuaScript;
import org.petmeeting.rooms.RoomsApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and WebSocket front door. One instance per event loop; they share the port. Each
 * instance owns the sessions it accepted, indexes them by room and user, and takes the node's
 * delivery events (every instance listens on the node's address) to write to them.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);
  private static final LuaScript READ_MARK = LuaScript.load("read_mark");

  private final Services services;
  private final Chat chat;
  private final AppConfig config;
  private HttpServer server;
  private HealthRoutes health;
  private MessageConsumer<JsonObject> inbox;
  private final Set<Session> sessions = new HashSet<>();
  private final Map<Long, Set<Session>> byRoom = new HashMap<>();
  private final Map<Long, Set<Session>> byUser = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private boolean draining;

  public GatewayVerticle(Services services) {
    this.services = services;
    this.chat = services.chat();
    this.config = services.config();
  }

  @Override
  public Future<?> start() {
    health = new HealthRoutes(services);
    Router router = Router.router(vertx);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes()));
    for (RestApi api : apis()) {
      api.mount(router);
    }
    router.route("/api/*").last().handler(ctx -> ctx.fail(Problem.notFound("no such resource: " + ctx.request().path())));
    router.route().failureHandler(Problems.handler());

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        // The contract's limit is enforced by Session (close 1009). Netty's own, which drops the
        // connection without a close frame, is only a backstop well above it.
        .setMaxWebSocketFrameSize(nettyFrameCap(config.limits().maxFrameBytes()))
        .setMaxWebSocketMessageSize(nettyFrameCap(config.limits().maxFrameBytes()))
        .setCompressionSupported(true)
        // No WebSocket deflate: Netty would inflate a frame whole, before any size check, so one
        // small compressed frame could cost an event loop and a gigabyte (a "compression bomb").
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // Every write happens on the connection's own event loop, so the HTTP connection can do
        // without the queue Vert.x keeps for writes from other threads: 4 KiB less per open
        // WebSocket, whose upgrade request and connection stay reachable (docs/benchmarks.md).
        .setStrictThreadMode(true);
    server = vertx.createHttpServer(options)
        .webSocketHandshakeHandler(this::handshake)
        .webSocketHandler(ws -> {
          Session session = new Session(this, services, ws, vertx);
          sessions.add(session);
          services.metrics().connections.incrementAndGet();
          String auth = ws.headers().get("Authorization");
          String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
          session.open(token);
        })
        .requestHandler(router);

    inbox = vertx.eventBus().consumer(Delivery.nodeAddress(services.nodeId()), m -> onEvent(m.body()));
    timers.add(vertx.setPeriodic(1000, id -> housekeeping()));
    timers.add(vertx.setPeriodic(config.chat().headCheckIntervalMs(), id -> checkHeads()));
    return inbox.completion().compose(v -> server.listen());
  }

  static int nettyFrameCap(int limit) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1L << 20, limit * 4L));
  }

  List<RestApi> apis() {
    return List.of(health, new RoomsApi(services),
        new org.petmeeting.accounts.AccountsApi(services), new org.petmeeting.accounts.ProfilesApi(services),
        new org.petmeeting.pets.PetsApi(services), new org.petmeeting.sittings.SittingsApi(services),
        new org.petmeeting.sittings.ApplicationsApi(services), new org.petmeeting.http.OpenApiDocument(),
        new org.petmeeting.web.WebClientRoutes());
  }

  /** Accepts only /ws, and only from allowed origins when the browser names one. */
  private void handshake(ServerWebSocketHandshake hs) {
    if (!"/ws".equals(hs.path())) {
      hs.reject(404);
      return;
    }
    if (draining) {
      hs.reject(503);
      return;
    }
    String origin = hs.headers().get("Origin");
    if (origin != null && !originAllowed(origin, hs.authority() == null ? null : hs.authority().toString())) {
      hs.reject(403);
      return;
    }
    hs.accept();
  }

  boolean originAllowed(String origin, String authority) {
    if (config.http().allowedOrigins().contains(origin)) {
      return true;
    }
    // Same origin: the page was served by this server.
    int scheme = origin.indexOf("://");
    return authority != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(authority);
  }

  // ---- session index

  void register(Session s) {
    // Sized for the usual one or two connections of a user, and the two members of a direct room.
    byUser.computeIfAbsent(s.userId(), k -> new LinkedHashSet<>(2)).add(s);
    for (long room : s.rooms.keySet()) {
      byRoom.computeIfAbsent(room, k -> new LinkedHashSet<>(2)).add(s);
    }
  }

  void unregister(Session s) {
    if (sessions.remove(s)) {
      services.metrics().connections.decrementAndGet();
    }
    Set<Session> mine = byUser.get(s.userId());
    if (mine != null && mine.remove(s) && mine.isEmpty()) {
      byUser.remove(s.userId());
    }
    for (long room : s.rooms.keySet()) {
      removeFromRoom(room, s);
    }
  }

  private void removeFromRoom(long room, Session s) {
    Set<Session> set = byRoom.get(room);
    if (set != null && set.remove(s) && set.isEmpty()) {
      byRoom.remove(room);
    }
  }

  // ---- delivery events from any router in the cluster

  private void onEvent(JsonObject e) {
    long room = e.getLong("room", 0L);
    switch (e.getString("t")) {
      case Events.MESSAGE -> {
        Set<Session> targets = byRoom.get(room);
        if (targets == null) {
          return;
        }
        long seq = e.getLong("seq");
        String epoch = e.getString("epoch");
        String json = e.getString("json");
        for (Session s : targets) {
          s.offer(room, seq, epoch, json);
        }
        if (services.nodeId().equals(e.getString("node"))) {
          services.metrics().sendToDeliver.record(System.nanoTime() - e.getLong("rx"), TimeUnit.NANOSECONDS);
        }
      }
      case Events.TYPING -> {
        long user = e.getLong("user");
        forRoomExcept(room, user, new Frames.Typing(room, user));
      }
      case Events.RECEIPT -> {
        long user = e.getLong("user");
        forRoomExcept(room, user, new Frames.Receipt(room, user, e.getLong("seq")));
      }
      case Events.ROOM -> roomEvent(room, e.getString("event"), e.getJsonArray("users"), e.getLong("actor"),
          e.getLong("head", 0L));
      case Events.PRESENCE -> presence(e);
      default -> log.debug("unknown event {}", e);
    }
  }

  private void forRoomExcept(long room, long user, Object frame) {
    Set<Session> targets = byRoom.get(room);
    if (targets == null) {
      return;
    }
    String json = org.petmeeting.http.Json.write(frame);
    for (Session s : targets) {
      if (s.userId() != user) {
        s.writeRaw(json);
      }
    }
  }

  private void roomEvent(long room, String event, JsonArray users, long actor, long head) {
    boolean leaving = "left".equals(event);
    if (!leaving) {
      for (Object u : users) {
        for (Session s : byUser.getOrDefault(((Number) u).longValue(), Set.of())) {
          if (!s.rooms.containsKey(room)) {
            s.addRoom(room);
            s.startRoom(room, head);
            byRoom.computeIfAbsent(room, k -> new LinkedHashSet<>(2)).add(s);
          }
        }
      }
    }
    // Everyone in the room (and, for "left", those who are leaving) hears about it.
    Set<Session> audience = new LinkedHashSet<>(byRoom.getOrDefault(room, Set.of()));
    for (Object u : users) {
      long user = ((Number) u).longValue();
      long subject = "created".equals(event) ? actor : user;
      String json = org.petmeeting.http.Json.write(new Frames.RoomEvent(room, event, subject));
      for (Session s : audience) {
        s.writeRaw(json);
      }
      if ("created".equals(event)) {
        break;
      }
    }
    if (leaving) {
      for (Object u : users) {
        for (Session s : byUser.getOrDefault(((Number) u).longValue(), Set.of())) {
          s.left(room);
          removeFromRoom(room, s);
        }
      }
    }
  }

  private void presence(JsonObject e) {
    long user = e.getLong("user");
    Set<Long> rooms = new HashSet<>();
    e.getJsonArray("rooms").forEach(r -> rooms.add(((Number) r).longValue()));
    String json = org.petmeeting.http.Json.write(new Frames.Presence(user, e.getBoolean("online"), e.getString("lastSeen")));
    Set<Session> done = new HashSet<>();
    for (long room : rooms) {
      for (Session s : byRoom.getOrDefault(room, Set.of())) {
        if (s.userId() != user && done.add(s)) {
          s.writeRaw(json);
        }
      }
    }
  }

  // ---- work sessions ask of their gateway

  Future<Void> markRead(long room, long user, long seq) {
    int partitions = config.chat().persistPartitions();
    return READ_MARK.run(services.redis().redis(), List.of(RoomKeys.reads(room), RoomKeys.persist(room, partitions)),
            List.of(Long.toString(room), Long.toString(user), Long.toString(seq)))
        .compose(moved -> moved.toInteger() == 1
            ? chat.membership().members(room).compose(m -> chat.delivery().toUsers(m, Events.receipt(room, user, seq)))
            : Future.succeededFuture());
  }

  /** Forwards typing at most once per interval per user and room, across all nodes. */
  Future<Void> typing(long room, long user) {
    return services.redis().api()
        .set(List.of(RoomKeys.typing(room, user), "1", "PX", Long.toString(Math.max(1, config.limits().typingIntervalMs())), "NX"))
        .compose(set -> set == null ? Future.succeededFuture()
            : chat.membership().members(room).compose(m -> chat.delivery().toUsers(m, Events.typing(room, user))));
  }

  void announcePresence(long user, boolean online, Long lastSeen) {
    chat.rooms().roomsOf(user)
        .compose(rooms -> chat.membership().membersOf(rooms).compose(memberSets -> {
          Set<Long> audience = new HashSet<>();
          memberSets.forEach(audience::addAll);
          audience.remove(user);
          if (audience.isEmpty()) {
            return Future.succeededFuture();
          }
          return chat.delivery().toUsers(audience, Events.presence(user, online, lastSeen, new JsonArray(rooms)));
        }))
        .onFailure(err -> log.debug("presence of {} not announced: {}", user, err.getMessage()));
  }

  // ---- timers

  private void housekeeping() {
    long now = System.nanoTime();
    long authTimeout = TimeUnit.MILLISECONDS.toNanos(config.limits().authTimeoutMs());
    long pingInterval = TimeUnit.SECONDS.toNanos(config.limits().pingIntervalSec());
    long pingTimeout = TimeUnit.SECONDS.toNanos(config.limits().pingTimeoutSec());
    for (Session s : new ArrayList<>(sessions)) {
      if (s.state() == Session.State.AWAITING_AUTH && now - s.openedAt > authTimeout) {
        s.close(ErrorCodes.CLOSE_AUTH_TIMEOUT, "authentication timeout");
      } else if (now - s.lastHeard > pingTimeout) {
        s.close(ErrorCodes.CLOSE_NORMAL, "ping timeout");
      } else if (now - s.lastPing >= pingInterval) {
        s.ping();
      }
    }
  }

  /** Compares each room's head with what sessions delivered, so a lost last message still arrives. */
  private void checkHeads() {
    if (byRoom.isEmpty()) {
      return;
    }
    List<Long> rooms = new ArrayList<>(byRoom.keySet());
    chat.log().heads(rooms).onSuccess(heads -> heads.forEach((room, head) -> {
      for (Session s : byRoom.getOrDefault(room, Set.of())) {
        RoomCursor c = s.rooms.get(room);
        if (c == null || !c.started() || c.repairing) {
          continue;
        }
        if (c.epoch() != null && !c.epoch().equals(head.epoch())) {
          // The sequence was restarted: deliver the newest message so the client learns the epoch.
          s.restarted(room, c, head);
        } else if (c.last() < head.seq()) {
          s.repair(room, c, head.seq());
        }
      }
    }));
  }

  /** Shutdown: refuse new connections, tell every client to reconnect elsewhere, close with 1012. */
  public void drain(long afterMs) {
    draining = true;
    health.drain();
    for (Session s : new ArrayList<>(sessions)) {
      s.goingAway(afterMs);
    }
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    drain(1000);
    Future<Void> unregistered = inbox == null ? Future.succeededFuture() : inbox.unregister();
    return unregistered.compose(v -> server == null ? Future.succeededFuture() : server.close());
  }
}
