package org.petmeeting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON document the persistence worker's JSON_TABLE statements read: one array per row, by position. */
class PersistBatchDocumentTest {

  @Test
  void aMessageRowIsAnArrayInColumnOrderWithNullMetaKeptInItsPlace() {
    var row = new PersistenceWorkerVerticle.MessageRow(7, 42, "ab12", 3, "c-1", "text", "h\u00e9llo \"you\"\n\uD83D\uDC36",
        null, "2026-12-03 16:45:00.123");
    assertThat(PersistenceWorkerVerticle.json(List.of(row)))
        .isEqualTo("[[7,42,\"ab12\",3,\"c-1\",\"text\",\"h\u00e9llo \\\"you\\\"\\n\uD83D\uDC36\",null,\"2026-12-03 16:45:00.123\"]]");
  }

  @Test
  void metaIsCarriedAsItsJsonText() {
    var row = new PersistenceWorkerVerticle.MessageRow(1, 1, "e", 0, "sys-1", "system", "hi", "{\"sitting\":5}",
        "2026-12-03 00:00:00.000");
    assertThat(PersistenceWorkerVerticle.json(List.of(row))).contains(",\"{\\\"sitting\\\":5}\",");
  }
}
