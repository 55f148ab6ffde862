package org.petmeeting.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of a list, newest first: {@code nextCursor} is null on the last page. A cursor is
 * opaque to clients (base64url of the last id returned); the server reads it back with
 * {@link #after}.
 */
public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  /** What a list request asks for: items with an id below {@code beforeId} (null = from the newest). */
  public record Request(Long beforeId, int limit) {}

  public static Request request(RoutingContext ctx) {
    return new Request(after(Requests.query(ctx, "cursor")), limit(Requests.query(ctx, "limit")));
  }

  /**
   * Builds a page from up to {@code limit + 1} rows fetched newest first: the extra row only tells
   * that another page follows.
   */
  public static <T> Page<T> of(List<T> rows, int limit, java.util.function.ToLongFunction<T> id) {
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<T> items = rows.subList(0, limit);
    return new Page<>(List.copyOf(items), cursor(id.applyAsLong(items.get(limit - 1))));
  }

  static String cursor(long lastId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(lastId).getBytes(StandardCharsets.US_ASCII));
  }

  static Long after(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      long id = Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
      if (id > 0) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // NumberFormatException is one too; reported below
    }
    throw Problem.badRequest("cursor is not a cursor this server returned");
  }

  static int limit(String raw) {
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Problem.badRequest("limit must be a whole number between 1 and " + MAX_LIMIT + "; got '" + raw + "'");
  }
}
