package org.petmeeting.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Bodies of the node-to-node delivery events. Kept small and flat; a message carries its push
 * frame already serialised, so a node with many recipients serialises it once.
 */
public final class Events {
  public static final String MESSAGE = "m";
  public static final String TYPING = "t";
  public static final String RECEIPT = "r";
  public static final String ROOM = "room";
  public static final String PRESENCE = "p";

  private Events() {}

  public static JsonObject message(ChatMessage m, String originNode, long receivedNanos) {
    return new JsonObject().put("t", MESSAGE).put("room", m.room()).put("seq", m.seq()).put("epoch", m.epoch())
        .put("json", m.toJson())
        .put("node", originNode).put("rx", receivedNanos);
  }

  public static JsonObject typing(long room, long user) {
    return new JsonObject().put("t", TYPING).put("room", room).put("user", user);
  }

  public static JsonObject receipt(long room, long user, long seq) {
    return new JsonObject().put("t", RECEIPT).put("room", room).put("user", user).put("seq", seq);
  }

  /**
   * {@code users} joined/left/created the room; {@code actor} is who did it. {@code head} is the
   * room's newest seq when the change was announced: new members' connections push every message
   * after it (and get earlier ones through sync).
   */
  public static JsonObject room(long room, String event, JsonArray users, long actor, long head) {
    return new JsonObject().put("t", ROOM).put("room", room).put("event", event).put("users", users).put("actor", actor)
        .put("head", head);
  }

  public static JsonObject presence(long user, boolean online, Long lastSeenMillis, JsonArray rooms) {
    JsonObject e = new JsonObject().put("t", PRESENCE).put("user", user).put("online", online).put("rooms", rooms);
    if (lastSeenMillis != null) {
      e.put("lastSeen", ChatMessage.formatTs(lastSeenMillis));
    }
    return e;
  }
}
