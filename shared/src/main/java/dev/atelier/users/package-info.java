/**
 * User accounts: the {@code users/{uid}} profile ({@link dev.atelier.users.UserProfile}) with its
 * device, preference and metadata parts, the sign-in {@link dev.atelier.users.ProviderId}, and the
 * case-insensitive username reservations {@code usernames/{lowercased}} ({@link
 * dev.atelier.users.UsernameReservation}). The session service lives here too.
 */
package dev.atelier.users;
