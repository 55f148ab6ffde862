package org.petmeeting.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script kept as a resource under {@code /redis}, run by its SHA. A server that does not
 * know it (restarted, failed over) answers NOSCRIPT, and the call is repeated once with the text.
 */
public final class LuaScript {
  private final String name;
  private final String text;
  private final String sha;

  private LuaScript(String name, String text) {
    this.name = name;
    this.text = text;
    this.sha = sha1(text);
  }

  public static LuaScript load(String name) {
    String resource = "/redis/" + name + ".lua";
    try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua resource " + resource);
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  public String name() {
    return name;
  }

  /** An EVALSHA request, for use in a batch with other commands on one connection. */
  public Request request(List<String> keys, List<String> args) {
    return build(Command.EVALSHA, sha, keys, args);
  }

  private Request evalRequest(List<String> keys, List<String> args) {
    return build(Command.EVAL, text, keys, args);
  }

  private static Request build(Command command, String script, List<String> keys, List<String> args) {
    Request r = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(r::arg);
    args.forEach(r::arg);
    return r;
  }

  public Future<Response> run(Redis redis, List<String> keys, List<String> args) {
    return redis.send(request(keys, args)).recover(err -> isNoScript(err)
        ? redis.send(evalRequest(keys, args))
        : Future.failedFuture(err));
  }

  /**
   * Runs the script and then {@code after} on the same connection (WAIT must follow the writes it
   * waits for on that connection). Returns both replies.
   */
  public Future<List<Response>> runThen(Redis redis, List<String> keys, List<String> args, Request after) {
    List<Request> batch = new ArrayList<>(List.of(request(keys, args), after));
    return redis.batch(batch).recover(err -> isNoScript(err)
        ? redis.batch(List.of(evalRequest(keys, args), after))
        : Future.failedFuture(err));
  }

  /**
   * NOSCRIPT, as Redis answers an unknown SHA. Inside a batch (MULTI-less pipeline) the client
   * reports it as "ERR [0] NOSCRIPT ...", with the failing command's index in front.
   */
  static boolean isNoScript(Throwable err) {
    String message = err.getMessage();
    return message != null && (message.startsWith("NOSCRIPT") || message.contains(" NOSCRIPT "));
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
