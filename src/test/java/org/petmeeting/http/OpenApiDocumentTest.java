package org.petmeeting.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.petmeeting.Services;
import org.petmeeting.support.TestServer;

/**
 * Keeps src/main/resources/openapi.yaml true in both directions: every route that any
 * {@link RestApi} of the code base mounts is described, and every operation described is served
 * by the running server, asking for a token exactly when the document says so.
 */
class OpenApiDocumentTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete", "head", "options");
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  private static JsonNode document;

  @BeforeAll
  static void readDocument() throws IOException {
    document = new ObjectMapper(new YAMLFactory()).readTree(OpenApiDocument.load());
  }

  /** "GET /api/v1/pets/{id}" for each operation of the document. */
  static Set<String> documented() {
    Set<String> out = new TreeSet<>();
    document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
      if (METHODS.contains(method)) {
        out.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));
    return out;
  }

  @Test
  void theDocumentIsServedWithoutAToken() throws IOException {
    HttpResponse<String> r = server.get(OpenApiDocument.PATH);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
    JsonNode served = new ObjectMapper(new YAMLFactory()).readTree(r.body());
    assertThat(served.get("openapi").asText()).startsWith("3.");
    assertThat(served).isEqualTo(document);
  }

  @Test
  void everyReferenceInTheDocumentResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(document, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(document.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
    }
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject() && node.has("$ref")) {
      out.add(node.get("$ref").asText());
    }
    node.elements().forEachRemaining(child -> collectRefs(child, out));
  }

  @Test
  void everyRouteMountedByARestApiIsDocumented() throws Exception {
    Services services = server.app().services();
    Router router = Router.router(services.vertx());
    List<Class<?>> apis = restApis();
    assertThat(apis).as("RestApi implementations found").hasSizeGreaterThanOrEqualTo(7);
    for (Class<?> api : apis) {
      instantiate(api, services).mount(router);
    }

    Set<String> mounted = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || path.endsWith("*")) {
        continue; // regex or prefix routes: body handlers and the like, not operations
      }
      assertThat(route.methods()).as("route %s must name its HTTP methods", path).isNotEmpty();
      for (HttpMethod method : route.methods()) {
        mounted.add(method.name() + " " + path.replaceAll(":(\\w+)", "{$1}"));
      }
    }
    assertThat(mounted).isNotEmpty();
    assertThat(documented())
        .as("every mounted route is in src/main/resources/openapi.yaml")
        .containsAll(mounted);
  }

  @Test
  void everyDocumentedOperationIsServedAndAsksForATokenWhenTheDocumentSaysSo() {
    List<String> wrong = new ArrayList<>();
    for (String operation : documented()) {
      String method = operation.substring(0, operation.indexOf(' '));
      String template = operation.substring(operation.indexOf(' ') + 1);
      String path = template.replaceAll("\\{[^}]+}", "1");
      boolean hasBody = method.equals("POST") || method.equals("PATCH") || method.equals("PUT");
      HttpResponse<String> r = server.request(method, path, null, hasBody ? "{}" : null);

      boolean unrouted = r.statusCode() == 405 || r.statusCode() == 501
          || (r.statusCode() == 404 && r.body().contains("no such resource"));
      boolean askedForToken = r.statusCode() == 401;
      if (unrouted) {
        wrong.add(operation + ": not served (" + r.statusCode() + ")");
      } else if (askedForToken != needsToken(method, template)) {
        wrong.add(operation + ": answered " + r.statusCode() + " without a token, but the document says it "
            + (needsToken(method, template) ? "needs one" : "needs none"));
      }
    }
    assertThat(wrong).as("operations of openapi.yaml").isEmpty();
  }

  /** An operation needs a token unless it (or else the document) sets {@code security: []}. */
  private static boolean needsToken(String method, String template) {
    JsonNode op = document.get("paths").get(template).get(method.toLowerCase(Locale.ROOT));
    JsonNode security = op.has("security") ? op.get("security") : document.get("security");
    return security != null && security.size() > 0;
  }

  /** Every concrete RestApi class compiled from src/main/java. */
  private static List<Class<?>> restApis() throws IOException, URISyntaxException {
    Path classes = Path.of(RestApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type;
        try {
          type = Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        if (RestApi.class.isAssignableFrom(type) && !type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
          out.add(type);
        }
      }
    }
    return out;
  }

  /** Builds an API with a constructor whose parameters are among Services and Vertx (or none). */
  private static RestApi instantiate(Class<?> type, Services services) throws ReflectiveOperationException {
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      Class<?>[] params = c.getParameterTypes();
      Object[] args = new Object[params.length];
      boolean usable = true;
      for (int i = 0; i < params.length; i++) {
        if (params[i] == Services.class) {
          args[i] = services;
        } else if (params[i] == Vertx.class) {
          args[i] = services.vertx();
        } else {
          usable = false;
        }
      }
      if (usable) {
        c.setAccessible(true);
        return (RestApi) c.newInstance(args);
      }
    }
    throw new AssertionError(type.getName() + " has no constructor taking only Services and/or Vertx, "
        + "so this test cannot check that its routes are documented");
  }
}
