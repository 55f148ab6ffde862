package org.petmeeting.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.petmeeting.http.Json;

class FieldsTest {

  private static Fields parse(String json) throws Exception {
    return new Fields(Json.MAPPER.readTree(json));
  }

  @Test
  void metaKeepsEveryDigitOfItsNumbers() throws Exception {
    String meta = parse("{\"meta\":{\"lat\":52.520008123456789012345,\"big\":1e400,\"n\":1.50}}").optionalObject("meta", 2048);
    assertThat(meta).contains("52.520008123456789012345").contains("1.50").doesNotContain("Infinity");
  }

  @Test
  void aLimitAboveTheMaximumIsLoweredHoweverLarge() throws Exception {
    assertThat(parse("{\"limit\":100000000000000000000}").clampedLong("limit", 100, 1, 500)).isEqualTo(500);
    assertThat(parse("{}").clampedLong("limit", 100, 1, 500)).isEqualTo(100);
    assertThatThrownBy(() -> parse("{\"limit\":0}").clampedLong("limit", 100, 1, 500)).isInstanceOf(BadRequest.class);
    assertThatThrownBy(() -> parse("{\"limit\":-1}").clampedLong("limit", 100, 1, 500)).isInstanceOf(BadRequest.class);
  }

  @Test
  void lengthsCountCharactersNotUtf16Units() throws Exception {
    String emoji = "\uD83D\uDC36".repeat(64);
    assertThat(parse("{\"cid\":\"" + emoji + "\"}").string("cid", 1, 64, ErrorCodes.BAD_REQUEST)).isEqualTo(emoji);
    assertThatThrownBy(() -> parse("{\"cid\":\"" + emoji + "x\"}").string("cid", 1, 64, ErrorCodes.BAD_REQUEST))
        .isInstanceOf(BadRequest.class).extracting(e -> ((BadRequest) e).code).isEqualTo("bad_request");
  }

  @Test
  void trailingDataAfterTheObjectIsRefused() {
    assertThatThrownBy(() -> Json.MAPPER.readTree("{\"type\":\"ping\"} {\"type\":\"send\"}")).isNotNull();
  }
}
