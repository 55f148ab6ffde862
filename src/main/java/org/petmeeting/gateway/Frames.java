package org.petmeeting.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.List;

/** Frames the server writes, as records that Jackson serialises; see docs/PROTOCOL.md. */
final class Frames {
  private Frames() {}

  record UserRef(long id, String name) {}

  @JsonPropertyOrder({"type", "id"})
  record Welcome(String type, String id, UserRef user, String session, int pingIntervalSec, int pingTimeoutSec) {
    Welcome(String id, UserRef user, String session, int pingIntervalSec, int pingTimeoutSec) {
      this("welcome", id, user, session, pingIntervalSec, pingTimeoutSec);
    }
  }

  @JsonPropertyOrder({"type", "id"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Ack(String type, String id, long room, String cid, long seq, String ts, Boolean duplicate) {
    Ack(String id, long room, String cid, long seq, String ts, boolean duplicate) {
      this("ack", id, room, cid, seq, ts, duplicate ? Boolean.TRUE : null);
    }
  }

  /** {@code messages} are already-serialised message frames, written as a JSON array. */
  @JsonPropertyOrder({"type", "id"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Synced(String type, String id, long room, String epoch, long head, @JsonRawValue String messages,
                boolean more, Boolean reset) {
    Synced(String id, long room, String epoch, long head, List<String> messages, boolean more, boolean reset) {
      this("synced", id, room, epoch, head, "[" + String.join(",", messages) + "]", more, reset ? Boolean.TRUE : null);
    }
  }

  @JsonPropertyOrder({"type", "id"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Error(String type, String id, String code, String message, Long retryAfterMs) {
    Error(String id, String code, String message) {
      this("error", id, code, message, null);
    }

    Error(String id, String code, String message, long retryAfterMs) {
      this("error", id, code, message, retryAfterMs);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Reply(String type, String id) {}

  record Typing(String type, long room, long user) {
    Typing(long room, long user) {
      this("typing", room, user);
    }
  }

  record Receipt(String type, long room, long user, long seq) {
    Receipt(long room, long user, long seq) {
      this("receipt", room, user, seq);
    }
  }

  record RoomEvent(String type, long room, String event, long user) {
    RoomEvent(long room, String event, long user) {
      this("room", room, event, user);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Presence(String type, long user, boolean online, String lastSeen) {
    Presence(long user, boolean online, String lastSeen) {
      this("presence", user, online, lastSeen);
    }
  }

  record Reconnect(String type, String reason, long afterMs) {
    Reconnect(String reason, long afterMs) {
      this("reconnect", reason, afterMs);
    }
  }
}
