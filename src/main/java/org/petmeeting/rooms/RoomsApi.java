package org.petmeeting.rooms;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.petmeeting.Services;
import org.petmeeting.accounts.Tokens;
import org.petmeeting.chat.Chat;
import org.petmeeting.chat.ChatMessage;
import org.petmeeting.chat.History;
import org.petmeeting.chat.RoomKeys;
import org.petmeeting.db.Sql;
import org.petmeeting.http.Authenticated;
import org.petmeeting.http.Json;
import org.petmeeting.http.Problem;
import org.petmeeting.http.RestApi;

/**
 * Rooms over REST: the caller's rooms with unread counts, direct and group rooms, membership,
 * and history. Every room access is checked against membership; a non-member gets 403 whether
 * the room exists or not.
 */
public final class RoomsApi implements RestApi {
  private static final Sql SQL = Sql.load("rooms");
  private static final int MAX_GROUP_MEMBERS = 500;

  record MemberRef(long id, String name) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RoomView(long id, String kind, String name, List<MemberRef> members, @JsonRawValue String lastMessage,
                  long unread, long readSeq, long head, String epoch) {}

  record RoomPage(List<RoomView> items, String nextCursor) {}

  record MessagePage(long room, String epoch, long head, @JsonRawValue String messages, boolean more) {}

  record Created(long id, String kind, boolean created) {}

  private final Services services;
  private final Chat chat;

  public RoomsApi(Services services) {
    this.services = services;
    this.chat = services.chat();
  }

  @Override
  public void mount(Router router) {
    Authenticated auth = new Authenticated(services.tokens());
    router.get("/api/v1/rooms").handler(auth).handler(this::list);
    router.post("/api/v1/rooms/direct").handler(auth).handler(this::direct);
    router.post("/api/v1/rooms").handler(auth).handler(this::group);
    router.post("/api/v1/rooms/:id/members").handler(auth).handler(this::addMember);
    router.delete("/api/v1/rooms/:id/members/:userId").handler(auth).handler(this::removeMember);
    router.get("/api/v1/rooms/:id/messages").handler(auth).handler(this::messages);
  }

  private void list(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    int limit = intParam(ctx, "limit", 50, 1, 100);
    long after = cursor(ctx);
    var primary = services.db().primary();
    // Membership is access control: read from the primary so a room just joined is listed.
    primary.preparedQuery(SQL.get("listForUser")).execute(Tuple.of(me, after, limit + 1))
        .compose(rows -> {
          List<Row> page = new ArrayList<>();
          rows.forEach(page::add);
          boolean more = page.size() > limit;
          List<Row> items = more ? page.subList(0, limit) : page;
          if (items.isEmpty()) {
            return Future.succeededFuture(new RoomPage(List.of(), null));
          }
          long lastId = items.get(items.size() - 1).getLong("id");
          List<Long> ids = items.stream().map(r -> r.getLong("id")).toList();
          Future<Map<Long, List<MemberRef>>> members = primary.preparedQuery(SQL.get("membersWithNames"))
              .execute(Tuple.of(me, after, lastId)).map(rs -> {
                Map<Long, List<MemberRef>> out = new LinkedHashMap<>();
                rs.forEach(r -> out.computeIfAbsent(r.getLong(0), k -> new ArrayList<>())
                    .add(new MemberRef(r.getLong(1), r.getString(2))));
                return out;
              });
          Future<List<Long>> marks = readMarks(ids, me);
          return Future.all(members, chat.log().heads(ids), marks).compose(all -> {
            List<Future<RoomView>> views = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
              Row r = items.get(i);
              long id = r.getLong("id");
              var head = all.<Map<Long, org.petmeeting.chat.RoomLog.Head>>resultAt(1).get(id);
              long redisMark = marks.result().get(i);
              long read = Math.max(redisMark, r.getLong("read_seq"));
              List<MemberRef> list = members.result().getOrDefault(id, List.of());
              views.add(chat.history().range(id, Math.max(0, head.seq() - 1), head.seq())
                  .map(last -> last.isEmpty() ? null : last.get(0).toJson())
                  .otherwise((String) null)
                  .map(last -> new RoomView(id, r.getString("kind"), r.getString("name"), list, last,
                      Math.max(0, head.seq() - read), read, head.seq(), head.epoch())));
            }
            return Future.all(views).map(cf -> new RoomPage(cf.list(), more ? Long.toString(lastId) : null));
          });
        })
        .onSuccess(page -> ctx.json(page))
        .onFailure(ctx::fail);
  }

  private Future<List<Long>> readMarks(List<Long> rooms, long user) {
    List<Request> batch = new ArrayList<>();
    rooms.forEach(room -> batch.add(Request.cmd(Command.HGET).arg(RoomKeys.reads(room)).arg(user)));
    return services.redis().redis().batch(batch).map(replies -> {
      List<Long> out = new ArrayList<>();
      replies.forEach(r -> out.add(r == null ? 0L : r.toLong()));
      return out;
    });
  }

  private void direct(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long other = longField(body(ctx), "userId");
    if (other == me) {
      throw Problem.badRequest("userId must be another user");
    }
    chat.rooms().userExists(other)
        .compose(exists -> {
          if (!exists) {
            return Future.failedFuture(Problem.notFound("no user " + other));
          }
          return chat.rooms().openDirect(me, other);
        })
        .compose(opened -> (opened.created()
            ? chat.client().membershipChanged(opened.roomId(), "created", List.of(me, other), me)
            : Future.<Void>succeededFuture())
            .map(v -> opened))
        .onSuccess(opened -> ctx.response().setStatusCode(opened.created() ? 201 : 200)
            .putHeader("Content-Type", "application/json")
            .end(Json.write(new Created(opened.roomId(), "direct", opened.created()))))
        .onFailure(ctx::fail);
  }

  private void group(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    JsonNode body = body(ctx);
    JsonNode nameNode = body.get("name");
    if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank() || nameNode.asText().length() > 100) {
      throw Problem.badRequest("name must be a string of 1 to 100 characters");
    }
    JsonNode ids = body.get("memberIds");
    if (ids != null && !ids.isNull() && !ids.isArray()) {
      throw Problem.badRequest("memberIds must be an array of user ids");
    }
    Set<Long> members = new LinkedHashSet<>();
    if (ids != null && ids.isArray()) {
      for (JsonNode id : ids) {
        if (!id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() <= 0) {
          throw Problem.badRequest("memberIds must hold positive integers");
        }
        members.add(id.asLong());
      }
    }
    members.remove(me);
    if (members.size() > MAX_GROUP_MEMBERS) {
      throw Problem.badRequest("a group has at most " + MAX_GROUP_MEMBERS + " members");
    }
    Future.all(members.stream().map(id -> chat.rooms().userExists(id).compose(ok -> ok ? Future.succeededFuture()
            : Future.failedFuture(Problem.badRequest("memberIds: no user " + id)))).toList())
        .compose(v -> chat.rooms().createGroup(me, nameNode.asText().strip(), List.copyOf(members)))
        .compose(roomId -> {
          List<Long> all = new ArrayList<>(members);
          all.add(0, me);
          return chat.client().membershipChanged(roomId, "created", all, me).map(roomId);
        })
        .onSuccess(roomId -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .end(Json.write(new Created(roomId, "group", true))))
        .onFailure(ctx::fail);
  }

  private void addMember(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long room = pathId(ctx, "id");
    long user = longField(body(ctx), "userId");
    requireMember(room, me)
        .compose(v -> chat.rooms().kind(room))
        .compose(kind -> "group".equals(kind) ? chat.rooms().userExists(user)
            : Future.failedFuture(Problem.conflict("members are added to group rooms only")))
        .compose(exists -> exists ? chat.rooms().addMember(room, user)
            : Future.failedFuture(Problem.notFound("no user " + user)))
        .compose(added -> (added ? chat.client().membershipChanged(room, "joined", List.of(user), me)
            : Future.<Void>succeededFuture()).map(added))
        .onSuccess(added -> ctx.response().setStatusCode(added ? 201 : 200).putHeader("Content-Type", "application/json")
            .end(Json.write(Map.of("room", room, "user", user, "added", added))))
        .onFailure(ctx::fail);
  }

  private void removeMember(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long room = pathId(ctx, "id");
    long user = pathId(ctx, "userId");
    requireMember(room, me)
        .compose(v -> user == me ? chat.rooms().kind(room)
            : Future.failedFuture(Problem.forbidden("a member may remove only themself")))
        .compose(kind -> "group".equals(kind) ? chat.rooms().removeMember(room, user)
            : Future.failedFuture(Problem.conflict("nobody leaves a direct room")))
        .compose(removed -> removed ? chat.client().membershipChanged(room, "left", List.of(user), me)
            : Future.<Void>succeededFuture())
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void messages(RoutingContext ctx) {
    long me = Authenticated.principal(ctx).userId();
    long room = pathId(ctx, "id");
    int max = services.config().limits().maxSyncLimit();
    int limit = intParam(ctx, "limit", Math.min(50, max), 1, max);
    Long before = optionalLong(ctx, "before");
    Long after = optionalLong(ctx, "after");
    if (before != null && after != null) {
      throw Problem.badRequest("give before or after, not both");
    }
    requireMember(room, me)
        .compose(v -> after != null ? chat.history().after(room, after, limit)
            : chat.history().before(room, before != null ? before : Long.MAX_VALUE, limit))
        .map(page -> Json.write(new MessagePage(room, page.epoch(), page.head(),
            "[" + String.join(",", page.messages().stream().map(ChatMessage::toJson).toList()) + "]", page.more())))
        .onSuccess(body -> ctx.response().putHeader("Content-Type", "application/json").end(body))
        .onFailure(err -> ctx.fail(err instanceof History.Incomplete
            ? Problem.unavailable("history is temporarily incomplete; retry shortly") : err));
  }

  private Future<Void> requireMember(long room, long user) {
    return chat.membership().isMember(room, user).compose(member -> member ? Future.succeededFuture()
        : Future.failedFuture(Problem.forbidden("not a member of this room")));
  }

  // ---- request parsing

  static JsonNode body(RoutingContext ctx) {
    try {
      JsonNode node = ctx.body().buffer() == null ? null : Json.MAPPER.readTree(ctx.body().buffer().getBytes());
      if (node == null || !node.isObject()) {
        throw Problem.badRequest("the body must be a JSON object");
      }
      return node;
    } catch (java.io.IOException e) {
      throw Problem.badRequest("the body is not valid JSON");
    }
  }

  static long longField(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
      throw Problem.badRequest(name + " must be a positive integer");
    }
    return v.asLong();
  }

  static long pathId(RoutingContext ctx, String name) {
    try {
      long v = Long.parseLong(ctx.pathParam(name));
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.badRequest(name + " must be a positive integer");
  }

  static Long optionalLong(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.badRequest(name + " must be a non-negative integer");
  }

  static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    Long v = optionalLong(ctx, name);
    if (v == null) {
      return fallback;
    }
    if (v < min || v > max) {
      throw Problem.badRequest(name + " must be between " + min + " and " + max);
    }
    return v.intValue();
  }

  private static long cursor(RoutingContext ctx) {
    String c = ctx.request().getParam("cursor");
    if (c == null || c.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(c);
    } catch (NumberFormatException e) {
      throw Problem.badRequest("cursor is not one this server issued");
    }
  }
}
