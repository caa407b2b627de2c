package dev.atelier.platform;

import java.util.Optional;

/**
 * The caller as proven by a verified Firebase ID token.
 *
 * @param signInProvider {@code firebase.sign_in_provider} (google.com, password, github.com,
 *     apple.com, custom…)
 * @param admin custom claim {@code admin: true}
 */
public record AuthUser(
    String uid,
    Optional<String> email,
    boolean emailVerified,
    Optional<String> name,
    Optional<String> picture,
    String signInProvider,
    boolean admin) {}
