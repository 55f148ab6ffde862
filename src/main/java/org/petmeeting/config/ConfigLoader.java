package org.petmeeting.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the YAML defaults, applies {@code PM_*} environment overrides leaf by leaf, binds the
 * result to {@link AppConfig} and validates it. Every failure names the setting and its variable.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "PM_";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  /** Loads from {@code PM_CONFIG}, else {@code conf/application.yaml}, else the copy in the jar. */
  public static AppConfig load(Map<String, String> env) {
    String explicit = env.get("PM_CONFIG");
    try {
      if (explicit != null && !explicit.isBlank()) {
        Path path = Path.of(explicit);
        if (!Files.isReadable(path)) {
          throw new ConfigException("PM_CONFIG names " + explicit + ", which cannot be read");
        }
        try (InputStream in = Files.newInputStream(path)) {
          return load(in, env);
        }
      }
      Path local = Path.of("conf", "application.yaml");
      if (Files.isReadable(local)) {
        try (InputStream in = Files.newInputStream(local)) {
          return load(in, env);
        }
      }
      try (InputStream in = ConfigLoader.class.getResourceAsStream("/application.yaml")) {
        if (in == null) {
          throw new ConfigException("no configuration: conf/application.yaml is missing and none is bundled");
        }
        return load(in, env);
      }
    } catch (IOException e) {
      throw new ConfigException("configuration cannot be read: " + e.getMessage());
    }
  }

  /** Loads the defaults bundled in the jar with these overrides; tests use it. */
  public static AppConfig loadDefaults(Map<String, String> env) {
    try {
      return load(new java.io.ByteArrayInputStream("{}".getBytes()), env);
    } catch (IOException e) {
      throw new ConfigException("bundled configuration cannot be read: " + e.getMessage());
    }
  }

  static AppConfig load(InputStream yaml, Map<String, String> env) throws IOException {
    ObjectNode root;
    try (InputStream defaults = ConfigLoader.class.getResourceAsStream("/application.yaml")) {
      root = defaults == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) YAML.readTree(defaults);
    }
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException("configuration is not valid YAML: " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode given)) {
      throw new ConfigException("configuration must be a YAML mapping");
    }
    // A file that leaves a setting out keeps its default instead of silently becoming 0.
    merge(root, given);
    applyOverrides(root, "", env);
    AppConfig config;
    try {
      config = YAML.treeToValue(root, AppConfig.class);
    } catch (JsonMappingException e) {
      String path = e.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
          .collect(Collectors.joining("."));
      throw new ConfigException("setting " + path + " (" + envName(path) + "): " + e.getOriginalMessage());
    }
    List<String> problems = ConfigValidator.problems(config);
    if (!problems.isEmpty()) {
      throw new ConfigException("invalid configuration:\n  " + String.join("\n  ", problems));
    }
    return config;
  }

  /** The environment variable that overrides a dotted setting path. */
  public static String envName(String path) {
    StringBuilder out = new StringBuilder(ENV_PREFIX);
    for (char c : path.toCharArray()) {
      if (c == '.') {
        out.append('_');
      } else if (Character.isUpperCase(c)) {
        out.append('_').append(c);
      } else {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }

  /** Every setting path with its default, in file order; the README's table is checked against it. */
  public static Map<String, JsonNode> settings(InputStream yaml) throws IOException {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    collect(YAML.readTree(yaml), "", out);
    return out;
  }

  private static void collect(JsonNode node, String path, Map<String, JsonNode> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> collect(e.getValue(), join(path, e.getKey()), out));
    } else {
      out.put(path, node);
    }
  }

  private static void merge(ObjectNode base, ObjectNode given) {
    given.fields().forEachRemaining(e -> {
      if (e.getValue() instanceof ObjectNode child && base.get(e.getKey()) instanceof ObjectNode target) {
        merge(target, child);
      } else {
        base.set(e.getKey(), e.getValue());
      }
    });
  }

  private static void applyOverrides(ObjectNode node, String path, Map<String, String> env) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    List<Map.Entry<String, JsonNode>> replaced = new ArrayList<>();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String childPath = join(path, field.getKey());
      if (field.getValue() instanceof ObjectNode child) {
        applyOverrides(child, childPath, env);
        continue;
      }
      String value = env.get(envName(childPath));
      if (value != null) {
        replaced.add(Map.entry(field.getKey(), parse(childPath, field.getValue(), value)));
      }
    }
    replaced.forEach(e -> node.set(e.getKey(), e.getValue()));
  }

  /** Parses an override by the type of the default it replaces, so a typo fails here, by name. */
  private static JsonNode parse(String path, JsonNode template, String raw) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    String value = raw.trim();
    try {
      if (template.isArray()) {
        ArrayNode array = f.arrayNode();
        for (String part : value.split(",")) {
          if (!part.isBlank()) {
            array.add(part.trim());
          }
        }
        return array;
      }
      if (template.isBoolean()) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        return f.booleanNode(Boolean.parseBoolean(value));
      }
      if (template.isIntegralNumber()) {
        return f.numberNode(Long.parseLong(value));
      }
      if (template.isNumber()) {
        return f.numberNode(Double.parseDouble(value));
      }
      return f.textNode(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("setting " + path + " (" + envName(path) + "): cannot use '" + raw + "': "
          + (e instanceof NumberFormatException ? "expected a number" : e.getMessage()));
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
