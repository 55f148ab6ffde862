package org.petmeeting.support;

import java.io.File;
import java.util.concurrent.TimeUnit;

/** Stops and starts parts of the local environment (scripts/localenv.sh) to test outages. */
public final class LocalEnv {
  private LocalEnv() {}

  public static void stop(String component) {
    run("stop", component);
  }

  public static void start(String component) {
    run("start", component);
  }

  private static void run(String command, String component) {
    try {
      Process p = new ProcessBuilder("bash", "scripts/localenv.sh", command, component)
          .directory(new File(System.getProperty("user.dir")))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("localenv.sh " + command + " " + component + " failed");
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
