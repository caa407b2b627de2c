/**
 * Runs one function in its own JVM on Google's Functions Framework invoker, bound to 127.0.0.1 only
 * (the invoker itself always binds every interface and has no host option).
 */
package dev.atelier.local.host;
