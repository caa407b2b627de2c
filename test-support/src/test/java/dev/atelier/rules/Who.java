package dev.atelier.rules;

/** The identities rules tests act as. */
enum Who {
  /** A signed-in user who owns the seeded data under uid "ada". */
  ADA,
  /** Another signed-in user ("bob"), with data of his own. */
  BOB,
  /**
   * A signed-in user whose token carries {@code admin: true} ("root"): the claim grants nothing in
   * the rules.
   */
  ADMIN,
  /** Signed out: no authorization. */
  ANONYMOUS,
  /** A server SDK ({@code Bearer owner}): the functions; rules do not apply. */
  OWNER
}
