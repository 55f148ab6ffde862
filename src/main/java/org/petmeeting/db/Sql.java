package org.petmeeting.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named SQL statements loaded once from a resource file. A file holds blocks that each start with
 * a line {@code -- name: someName}; the block's text up to the next such line is the statement.
 */
public final class Sql {
  private final Map<String, String> statements;
  private final String resource;

  private Sql(String resource, Map<String, String> statements) {
    this.resource = resource;
    this.statements = statements;
  }

  /** Loads {@code /sql/<name>.sql} from the classpath. */
  public static Sql load(String name) {
    String resource = "/sql/" + name + ".sql";
    try (InputStream in = Sql.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + resource);
      }
      return new Sql(resource, parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    String current = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.trim();
      if (trimmed.startsWith("-- name:")) {
        if (current != null) {
          out.put(current, body.toString().trim());
        }
        current = trimmed.substring("-- name:".length()).trim();
        body.setLength(0);
      } else if (current != null && !trimmed.startsWith("--")) {
        body.append(line).append('\n');
      }
    }
    if (current != null) {
      out.put(current, body.toString().trim());
    }
    return out;
  }

  public String get(String name) {
    String sql = statements.get(name);
    if (sql == null) {
      throw new IllegalArgumentException("no statement '" + name + "' in " + resource);
    }
    return sql;
  }
}
