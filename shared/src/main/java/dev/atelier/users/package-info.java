/**
 * User accounts: the {@code users/{uid}} profile ({@link dev.atelier.users.UserProfile}) with its
 * device, preference and metadata parts, the sign-in {@link dev.atelier.users.ProviderId}, and the
 * case-insensitive username reservations {@code usernames/{lowercased}} ({@link
 * dev.atelier.users.UsernameReservation}). The session service lives here too, with the refresh of
 * the {@code createdBy} copy on the user's public items when the profile's name or photo changes
 * (marked pending in the profile until it finished, so a failed refresh is retried).
 */
package dev.atelier.users;
