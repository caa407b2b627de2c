/**
 * The one front port: {@code /<function-name>/...} is proxied to that function's process (the way a
 * Cloud Functions URL ends in the function name), {@code /_schedules/<name>:run} runs a schedule
 * now.
 */
package dev.atelier.local.front;
