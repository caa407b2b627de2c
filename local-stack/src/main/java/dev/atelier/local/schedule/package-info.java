/**
 * Cloud Scheduler stand-in: unix-cron evaluation in a time zone, and invoking scheduled functions
 * on their cron or on demand with the request Cloud Scheduler sends.
 */
package dev.atelier.local.schedule;
