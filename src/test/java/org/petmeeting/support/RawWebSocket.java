package org.petmeeting.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A bare WebSocket client over a socket, for what library clients will not do: it never answers
 * a ping. Enough of RFC 6455 for tests: client text frames (masked), server frames read raw.
 */
public final class RawWebSocket implements AutoCloseable {
  /** A frame as received: opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  public RawWebSocket(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
  }

  public void sendText(String text) throws IOException {
    sendTexts(java.util.List.of(text));
  }

  /**
   * Sends several text frames in one write, so that the server reads them together: it handles
   * them all before any reply to the first can come back (a pipelining client).
   */
  public void sendTexts(java.util.List<String> texts) throws IOException {
    java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
    SecureRandom random = new SecureRandom();
    for (String text : texts) {
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      byte[] mask = new byte[4];
      random.nextBytes(mask);
      frames.write(0x81);
      if (payload.length < 126) {
        frames.write(0x80 | payload.length);
      } else {
        frames.write(0x80 | 126);
        frames.write(payload.length >> 8);
        frames.write(payload.length & 0xff);
      }
      frames.write(mask, 0, 4);
      for (int i = 0; i < payload.length; i++) {
        frames.write(payload[i] ^ mask[i % 4]);
      }
    }
    out.write(frames.toByteArray());
    out.flush();
  }

  public Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
