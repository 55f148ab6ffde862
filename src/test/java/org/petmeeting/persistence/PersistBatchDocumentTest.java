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
  void aReadIsWrittenInChunksUnderTheRowAndByteBoundsInOrder() {
    List<PersistenceWorkerVerticle.Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 450; i++) {
      entries.add(new PersistenceWorkerVerticle.Entry("persist:" + (i % 8), i + "-0",
          java.util.Map.of("t", "m", "text", i % 100 == 0 ? "x".repeat(4000) : "short")));
    }
    var byRows = PersistenceWorkerVerticle.chunks(entries, 200, PersistenceWorkerVerticle.MAX_CHUNK_BYTES);
    assertThat(byRows).extracting(List::size).containsExactly(200, 200, 50);
    assertThat(byRows.stream().flatMap(List::stream).toList()).isEqualTo(entries);
    // A tight byte bound cuts earlier, never below one entry a chunk.
    var byBytes = PersistenceWorkerVerticle.chunks(entries, 200, 30_000);
    assertThat(byBytes).allSatisfy(c -> assertThat(c).isNotEmpty());
    assertThat(byBytes.size()).isGreaterThan(3);
    assertThat(byBytes.stream().flatMap(List::stream).toList()).isEqualTo(entries);
  }
}
