/**
 * What a provider's result does to a history item, whoever brought it: {@link
 * dev.atelier.results.ProviderResults} is the one path the signed webhook ({@code
 * dev.atelier.webhook}) and the reaper's polling ({@code dev.atelier.reaper}) both take — media
 * downloaded within the limits and stored, the item completed with its HOLD captured and the
 * missing outputs refunded, or failed with its HOLD reversed.
 */
package dev.atelier.results;
