package org.petmeeting.chat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * The event-bus codec of the chat's own messages (send requests and replies, delivery events).
 * Vert.x's default JSON codec copies a JsonObject for every local consumer, so that one cannot
 * change what another reads; a delivery event reaches every gateway instance of the node, and the
 * copies were a measurable share of a message's cost (docs/benchmarks.md). These bodies are never
 * changed after they are sent, so a local consumer gets the object itself; between nodes the body
 * travels as JSON text, as with the default codec.
 */
public final class SharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {
  public static final String NAME = "pm-shared-json";
  /** Options that select this codec (shared: never modify them). */
  static final DeliveryOptions OPTIONS = new DeliveryOptions().setCodecName(NAME);

  /** Registers the codec on this Vert.x instance (once per instance; later calls do nothing). */
  public static synchronized void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new SharedJsonCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another part of this process registered it on the same Vert.x instance.
    }
  }

  /** Fresh options with this codec, for callers that also set a timeout. */
  public static DeliveryOptions options() {
    return new DeliveryOptions().setCodecName(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject body) {
    Buffer encoded = body.toBuffer();
    buffer.appendInt(encoded.length());
    buffer.appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.slice(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject body) {
    return body;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
