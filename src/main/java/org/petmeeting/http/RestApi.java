package org.petmeeting.http;

import io.vertx.ext.web.Router;

/** A group of REST routes; each gateway instance mounts every API on its own router. */
public interface RestApi {
  void mount(Router router);
}
