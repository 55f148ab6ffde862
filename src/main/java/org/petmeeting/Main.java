package org.petmeeting;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.petmeeting.config.AppConfig;
import org.petmeeting.config.ConfigException;
import org.petmeeting.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: configuration in, server up, graceful stop on SIGTERM. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    AppConfig config;
    try {
      config = ConfigLoader.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("pet-meeting: " + e.getMessage());
      System.exit(2);
      return;
    }
    App app;
    try {
      app = App.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ConfigException) {
        System.err.println("pet-meeting: " + cause.getMessage());
      } else {
        log.error("start-up failed", cause);
      }
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      try {
        app.stop().toCompletionStage().toCompletableFuture()
            .get(config.http().shutdownGraceMs() + 5_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("shutdown did not finish cleanly: {}", e.toString());
      }
      stopped.countDown();
    }, "pm-shutdown"));
    stopped.await();
  }
}
