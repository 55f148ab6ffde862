package org.petmeeting.chat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the REST side asks of the chat side, over the local event bus: post a system message,
 * announce membership changes so open connections see them at once.
 */
public final class ChatClient {
  public static final String SYSTEM_ADDRESS = "chat.system";
  public static final String MEMBERSHIP_ADDRESS = "chat.membership";

  private final Vertx vertx;

  public ChatClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Posts a {@code system} message (from 0) into a room; completes once it is durable, with its seq. */
  public Future<Long> postSystem(long roomId, String text, JsonObject meta) {
    JsonObject body = new JsonObject().put("room", roomId).put("text", text);
    if (meta != null) {
      body.put("meta", meta);
    }
    return vertx.eventBus().<Long>request(SYSTEM_ADDRESS, body).map(reply -> reply.body());
  }

  /**
   * Tells the chat side that {@code users} joined ({@code joined}, {@code created}) or left a room.
   * Completes when the membership cache is invalidated and the events are on their way.
   */
  public Future<Void> membershipChanged(long roomId, String event, Iterable<Long> users, long actor) {
    JsonArray list = new JsonArray();
    users.forEach(list::add);
    JsonObject body = new JsonObject().put("room", roomId).put("event", event).put("users", list).put("actor", actor);
    return vertx.eventBus().request(MEMBERSHIP_ADDRESS, body).mapEmpty();
  }
}
