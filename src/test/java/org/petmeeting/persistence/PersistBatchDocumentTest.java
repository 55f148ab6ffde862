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
  @Test
  void aReadIsWrittenWholeUnlessItCouldPassTheByteBoundThenInOrderedChunksUnderIt() {
    List<PersistenceWorkerVerticle.Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 1600; i++) {
      entries.add(new PersistenceWorkerVerticle.Entry("persist:" + (i % 8), i + "-0",
          java.util.Map.of("t", "m", "text", i % 100 == 0 ? "x".repeat(4000) : "short")));
    }
    // A read of short messages from 8 partitions: one statement.
    assertThat(PersistenceWorkerVerticle.chunks(entries, PersistenceWorkerVerticle.MAX_CHUNK_BYTES)).hasSize(1);
    // A tight bound cuts it, never below one entry a chunk, and keeps the order.
    var chunks = PersistenceWorkerVerticle.chunks(entries, 30_000);
    assertThat(chunks.size()).isGreaterThan(3);
    assertThat(chunks).allSatisfy(c -> assertThat(c).isNotEmpty());
    assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(entries);
  }
}
