package org.petmeeting.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;

/** Serves the OpenAPI 3 description of the REST API ({@code openapi.yaml} on the classpath), no token needed. */
public final class OpenApiDocument implements RestApi {
  public static final String PATH = "/api/v1/openapi.yaml";
  private static final String RESOURCE = "/openapi.yaml";
  private final Buffer document;

  public OpenApiDocument() {
    this.document = Buffer.buffer(load());
  }

  public static byte[] load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  @Override
  public void mount(Router router) {
    router.get(PATH).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .end(document));
  }
}
