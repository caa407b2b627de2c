/**
 * A loopback stand-in for a generation provider (dev and test only, never deployed): Replicate's
 * predictions API ({@code POST /v1/predictions}, {@code GET /v1/predictions/{id}}, {@code POST
 * /v1/predictions/{id}/cancel}) on 127.0.0.1, completing predictions in the background with real
 * media it serves itself (PNG, H.264 MP4, MP3) and calling their webhooks signed with Standard
 * Webhooks. Markers in the prompt ({@link dev.atelier.provider.standin.Marker}) make it fail, run
 * slow, drop or duplicate its webhook, serve oversized or wrong-type media, or return fewer
 * outputs; {@code GET /health} and {@code POST /_control/health} report and switch its health.
 * {@link dev.atelier.provider.standin.StandInProvider} is the Java entry point, {@link
 * dev.atelier.provider.standin.Main} the standalone one.
 */
package dev.atelier.provider.standin;
