package org.petmeeting.loadtest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.petmeeting.chat.ChatMessage;
import org.petmeeting.http.Json;

/**
 * The bare reference for the benchmark ratio: the same fan-out over the same WebSocket stack
 * (Vert.x HTTP server, one gateway verticle per event loop, Jackson, the same frames: auth →
 * welcome, send → ack, message pushes with a seq per room), but in memory: no Redis, no MySQL, no
 * event bus, no durability. It also answers the three REST calls the load tool makes (sign-up,
 * direct room, group room), so the identical tool drives it. It implements nothing else (no sync,
 * read marks, presence, limits or history): it is a yardstick, not a server.
 *
 * <p>Ordering: a room's seq is taken under the room's lock, and each message is handed, still
 * under that lock, to the event loop of every recipient connection as one task per event loop.
 * Tasks of one event loop run in the order they were queued, so every connection sees a room's
 * messages in seq order.
 */
public final class ReferenceServer {
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");

  static final class User {
    final long id;
    final String username;
    final String name;
    final Set<Conn> conns = ConcurrentHashMap.newKeySet();

    User(long id, String username, String name) {
      this.id = id;
      this.username = username;
      this.name = name;
    }
  }

  static final class Room {
    final long id;
    final long[] members;
    final String epoch = UUID.randomUUID().toString().substring(0, 12);
    long seq;

    Room(long id, long[] members) {
      this.id = id;
      this.members = members;
    }

    boolean has(long user) {
      for (long m : members) {
        if (m == user) {
          return true;
        }
      }
      return false;
    }
  }

  /** A connection and the gateway (event loop) that owns it. */
  record Conn(ServerWebSocket ws, Gateway gateway) {}

  record UserRef(long id, String name) {}

  record UserBody(long id, String username, String name) {}

  record SignedUp(String token, UserBody user) {}

  record Created(long id, String kind, boolean created) {}

  @JsonPropertyOrder({"type", "id"})
  record Welcome(String type, String id, UserRef user, String session, int pingIntervalSec, int pingTimeoutSec) {}

  @JsonPropertyOrder({"type", "id"})
  record Ack(String type, String id, long room, String cid, long seq, String ts) {}

  @JsonPropertyOrder({"type", "id"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Error(String type, String id, String code, String message) {}

  private final Map<String, User> byName = new ConcurrentHashMap<>();
  private final Map<String, User> byToken = new ConcurrentHashMap<>();
  private final Map<Long, User> byId = new ConcurrentHashMap<>();
  private final Map<String, Room> directs = new ConcurrentHashMap<>();
  private final Map<Long, Room> rooms = new ConcurrentHashMap<>();
  private final AtomicLong userIds = new AtomicLong();
  private final AtomicLong roomIds = new AtomicLong();
  private final Vertx vertx;
  private volatile int port;

  private ReferenceServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts a reference server on {@code host:port} (0 = any free port) with one gateway per event loop. */
  public static Future<ReferenceServer> start(String host, int port, int eventLoops) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    ReferenceServer server = new ReferenceServer(vertx);
    return server.deploy(host, port, eventLoops).map(server)
        .recover(err -> {
          vertx.close();
          return Future.failedFuture(err);
        });
  }

  private Future<Void> deploy(String host, int port, int instances) {
    // Vert.x shares a port between the instances only when they all ask for the same one.
    this.port = port == 0 ? freePort() : port;
    return vertx.deployVerticle(() -> new Gateway(host, this.port), new DeploymentOptions().setInstances(instances))
        .mapEmpty();
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  public Future<Void> close() {
    return vertx.close();
  }

  public static void main(String[] args) throws InterruptedException {
    String host = "127.0.0.1";
    int port = 8090;
    int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    String usage = "usage: ReferenceServer [--host 127.0.0.1] [--port 8090] [--event-loops N]\n"
        + "The in-memory yardstick of docs/benchmarks.md: the chat server's fan-out and frames, no Redis, no MariaDB.";
    for (int i = 0; i < args.length; i += 2) {
      if ("--help".equals(args[i]) || "-h".equals(args[i])) {
        System.out.println(usage);
        return;
      }
      if (i + 1 >= args.length) {
        System.err.println(usage);
        System.exit(2);
      }
      switch (args[i]) {
        case "--host" -> host = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--event-loops" -> loops = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println(usage);
          System.exit(2);
        }
      }
    }
    ReferenceServer server = LoadTool.await(start(host, port, loops), 60);
    System.out.println("reference server on " + host + ":" + server.port() + " with " + loops + " event loops");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    stopped.await();
  }

  /** HTTP and WebSocket on one event loop; all instances share the port. */
  final class Gateway extends VerticleBase {
    private final String host;
    private final int bindPort;

    Gateway(String host, int bindPort) {
      this.host = host;
      this.bindPort = bindPort;
    }

    Context ctx() {
      return context;
    }

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(65_536));
      router.post("/api/v1/auth/signup").handler(this::signup);
      router.post("/api/v1/rooms/direct").handler(this::direct);
      router.post("/api/v1/rooms").handler(this::group);
      router.get("/health/live").handler(ctx -> ctx.response().end("ok"));
      router.get("/health/ready").handler(ctx -> ctx.response().end("ok"));
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(bindPort)
              .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 20))
          .webSocketHandshakeHandler(hs -> {
            if ("/ws".equals(hs.path())) {
              hs.accept();
            } else {
              hs.reject(404);
            }
          })
          .webSocketHandler(this::connection)
          .requestHandler(router);
      return server.listen();
    }

    // ---- REST

    private void signup(RoutingContext ctx) {
      JsonNode b = body(ctx);
      String username = b == null ? "" : b.path("username").asText("");
      String password = b == null ? "" : b.path("password").asText("");
      if (!USERNAME.matcher(username).matches() || password.length() < 8) {
        problem(ctx, 400, "username or password invalid");
        return;
      }
      User u = new User(userIds.incrementAndGet(), username, b.path("displayName").asText(username));
      if (byName.putIfAbsent(username.toLowerCase(), u) != null) {
        problem(ctx, 409, "the user name is taken");
        return;
      }
      byId.put(u.id, u);
      String token = UUID.randomUUID().toString();
      byToken.put(token, u);
      reply(ctx, 201, new SignedUp(token, new UserBody(u.id, u.username, u.name)));
    }

    private void direct(RoutingContext ctx) {
      User me = bearer(ctx);
      JsonNode b = body(ctx);
      if (me == null) {
        problem(ctx, 401, "no valid token");
        return;
      }
      long other = b == null ? 0 : b.path("userId").asLong();
      if (other == me.id || !byId.containsKey(other)) {
        problem(ctx, other == me.id ? 400 : 404, "bad userId");
        return;
      }
      String key = Math.min(me.id, other) + ":" + Math.max(me.id, other);
      boolean[] created = {false};
      Room room = directs.computeIfAbsent(key, k -> {
        created[0] = true;
        Room r = new Room(roomIds.incrementAndGet(), new long[] {me.id, other});
        rooms.put(r.id, r);
        return r;
      });
      reply(ctx, created[0] ? 201 : 200, new Created(room.id, "direct", created[0]));
    }

    private void group(RoutingContext ctx) {
      User me = bearer(ctx);
      JsonNode b = body(ctx);
      if (me == null) {
        problem(ctx, 401, "no valid token");
        return;
      }
      List<Long> members = new ArrayList<>();
      members.add(me.id);
      for (JsonNode id : b == null ? List.<JsonNode>of() : b.path("memberIds")) {
        long m = id.asLong();
        if (!byId.containsKey(m)) {
          problem(ctx, 400, "memberIds: no user " + m);
          return;
        }
        if (!members.contains(m)) {
          members.add(m);
        }
      }
      Room r = new Room(roomIds.incrementAndGet(), members.stream().mapToLong(Long::longValue).toArray());
      rooms.put(r.id, r);
      reply(ctx, 201, new Created(r.id, "group", true));
    }

    private User bearer(RoutingContext ctx) {
      String auth = ctx.request().getHeader("Authorization");
      return auth != null && auth.startsWith("Bearer ") ? byToken.get(auth.substring(7).trim()) : null;
    }

    private JsonNode body(RoutingContext ctx) {
      try {
        return ctx.body().buffer() == null ? null : Json.MAPPER.readTree(ctx.body().buffer().getBytes());
      } catch (java.io.IOException e) {
        return null;
      }
    }

    private void reply(RoutingContext ctx, int status, Object body) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.write(body));
    }

    private void problem(RoutingContext ctx, int status, String detail) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
          .end(Json.write(Map.of("status", status, "detail", detail)));
    }

    // ---- WebSocket

    private void connection(ServerWebSocket ws) {
      Conn conn = new Conn(ws, this);
      User[] user = {null};
      ws.textMessageHandler(text -> {
        JsonNode f;
        try {
          f = Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
          write(ws, new Error("error", null, "bad_request", "the frame is not valid JSON"));
          return;
        }
        String type = f.path("type").asText("");
        String id = f.hasNonNull("id") ? f.get("id").asText() : null;
        if (user[0] == null) {
          User u = "auth".equals(type) ? byToken.get(f.path("token").asText("")) : null;
          if (u == null) {
            write(ws, new Error("error", id, "unauthorized", "authenticate first with a valid token"));
            ws.close((short) 4401, "unauthorized");
            return;
          }
          user[0] = u;
          u.conns.add(conn);
          write(ws, new Welcome("welcome", id, new UserRef(u.id, u.name), UUID.randomUUID().toString(), 25, 60));
          return;
        }
        switch (type) {
          case "send" -> send(ws, user[0], id, f);
          case "ping" -> write(ws, Map.of("type", "pong", "id", id == null ? "" : id));
          default -> write(ws, new Error("error", id, "bad_request", "the reference server knows auth, send and ping"));
        }
      });
      ws.closeHandler(v -> {
        if (user[0] != null) {
          user[0].conns.remove(conn);
        }
      });
    }

    private void send(ServerWebSocket ws, User from, String id, JsonNode f) {
      Room room = rooms.get(f.path("room").asLong());
      String cid = f.path("cid").asText("");
      String text = f.path("text").asText("");
      if (cid.isEmpty() || cid.length() > 64 || text.isEmpty() || text.length() > 4000) {
        write(ws, new Error("error", id, "bad_request", "cid and text are required"));
        return;
      }
      if (room == null || !room.has(from.id)) {
        write(ws, new Error("error", id, "forbidden", "not a member of this room"));
        return;
      }
      JsonNode metaNode = f.get("meta");
      String meta = metaNode != null && metaNode.isObject() ? metaNode.toString() : null;
      long seq;
      String ts = ChatMessage.formatTs(System.currentTimeMillis());
      synchronized (room) {
        seq = ++room.seq;
        String json = new ChatMessage(room.id, seq, room.epoch, cid, from.id, text, meta, ts, ChatMessage.TEXT).toJson();
        // One task per event loop holding recipients, queued under the room's lock (see the class comment).
        Map<Gateway, List<ServerWebSocket>> targets = new HashMap<>();
        for (long m : room.members) {
          User u = byId.get(m);
          if (u != null) {
            for (Conn c : u.conns) {
              targets.computeIfAbsent(c.gateway(), g -> new ArrayList<>()).add(c.ws());
            }
          }
        }
        targets.forEach((g, list) -> g.ctx().runOnContext(v -> {
          for (ServerWebSocket s : list) {
            s.writeTextMessage(json);
          }
        }));
      }
      write(ws, new Ack("ack", id, room.id, cid, seq, ts));
    }

    private void write(ServerWebSocket ws, Object frame) {
      if (!ws.isClosed()) {
        ws.writeTextMessage(Json.write(frame));
      }
    }
  }
}
