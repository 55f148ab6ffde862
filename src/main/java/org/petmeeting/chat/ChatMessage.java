package org.petmeeting.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.petmeeting.http.Json;

/**
 * A stored message, exactly as the {@code message} push carries it. {@code meta} is the client's
 * JSON object kept as text and written back as is.
 */
@JsonPropertyOrder({"type", "room", "seq", "epoch", "cid", "from", "text", "meta", "ts", "kind"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(long room, long seq, String epoch, String cid, long from, String text,
                          @JsonRawValue String meta, String ts, String kind) {
  public static final String TEXT = "text";
  public static final String SYSTEM = "system";
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  public String getType() {
    return "message";
  }

  /** The same message under another epoch: a restarted room's sequence goes on from it. */
  public ChatMessage withEpoch(String epoch) {
    return new ChatMessage(room, seq, epoch, cid, from, text, meta, ts, kind);
  }

  public String toJson() {
    return Json.write(this);
  }

  public static String formatTs(long epochMillis) {
    return TS.format(Instant.ofEpochMilli(epochMillis));
  }

  public static long parseTs(String ts) {
    return Instant.parse(ts).toEpochMilli();
  }
}
