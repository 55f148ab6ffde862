package org.petmeeting.accounts;

/** A mention of a user inside another resource: who owns a sitting, who applied. */
public record UserRef(long id, String name) {}
