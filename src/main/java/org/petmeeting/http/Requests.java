package org.petmeeting.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what a REST request carries: its JSON body bound to a record (unknown fields ignored, a
 * wrongly typed field named in the 400), path ids and query parameters.
 */
public final class Requests {
  private Requests() {}

  /** A PATCH body: the bound record plus which fields were present (null present = clear it). */
  public record Patch<T>(T value, Set<String> present) {
    public boolean has(String field) {
      return present.contains(field);
    }

    /** The patched value when the field was sent (even as null), else the current one. */
    public <V> V pick(String field, V patched, V current) {
      return has(field) ? patched : current;
    }
  }

  public static <T> T body(RoutingContext ctx, Class<T> type) {
    return bind(object(ctx), type);
  }

  public static <T> Patch<T> patch(RoutingContext ctx, Class<T> type) {
    ObjectNode node = object(ctx);
    Set<String> present = new LinkedHashSet<>();
    node.fieldNames().forEachRemaining(present::add);
    return new Patch<>(bind(node, type), present);
  }

  /** A positive numeric path parameter. */
  public static long pathId(RoutingContext ctx, String name) {
    String raw = ctx.pathParam(name);
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Problem.badRequest(name + " in the path must be a positive integer; got '" + raw + "'");
  }

  /** A single query parameter, or null when absent or empty. */
  public static String query(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      throw Problem.badRequest(name + " must be given at most once");
    }
    return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  public static LocalDate queryDate(RoutingContext ctx, String name) {
    String raw = query(ctx, name);
    if (raw == null) {
      return null;
    }
    try {
      return LocalDate.parse(raw);
    } catch (java.time.format.DateTimeParseException e) {
      throw Problem.badRequest(name + " must be a date (YYYY-MM-DD); got '" + raw + "'");
    }
  }

  private static ObjectNode object(RoutingContext ctx) {
    if (ctx.body() == null || !ctx.body().available() || ctx.body().isEmpty()) {
      throw Problem.badRequest("a JSON object body is required");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(ctx.body().buffer().getBytes());
    } catch (IOException e) {
      throw Problem.badRequest("the body is not valid JSON");
    }
    if (!(node instanceof ObjectNode object)) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    return object;
  }

  private static <T> T bind(ObjectNode node, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(node, type);
    } catch (JsonMappingException e) {
      String field = fieldPath(e);
      if (field.isEmpty()) {
        throw Problem.badRequest("the body does not have the expected shape");
      }
      String expected = e instanceof MismatchedInputException m ? describe(m.getTargetType()) : null;
      throw Problem.badRequest(expected == null ? field + " has the wrong type or format"
          : field + " must be " + expected);
    } catch (JsonProcessingException e) {
      throw Problem.badRequest("the body is not valid JSON of the expected shape");
    }
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return null;
    }
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "a whole number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == LocalDate.class) {
      return "a date (YYYY-MM-DD)";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return null;
  }
}
