package org.petmeeting.sittings;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.petmeeting.accounts.UserRef;

/** A sitting request as the REST API shows it: an owner asks someone to look after some of their pets. */
public record Sitting(long id, UserRef owner, List<PetRef> pets, String city, LocalDate startDate, LocalDate endDate,
                      String reward, List<String> housingTypes, String text, String status, Instant createdAt) {
  /** Where the pets may stay: at the owner's, at the sitter's, or either. */
  public static final List<String> HOUSING_TYPES = List.of("owner_home", "sitter_home", "either");
  public static final List<String> STATUSES = List.of("open", "closed");

  /** A pet of the sitting, as much as a list needs. */
  public record PetRef(long id, String name, String species) {}

  /**
   * Whether an applicant offering {@code housingType} fits: the sitting accepts that type, or
   * accepts either, or the applicant can do either.
   */
  public boolean accepts(String housingType) {
    return housingTypes.contains(housingType) || housingTypes.contains("either") || "either".equals(housingType);
  }
}
