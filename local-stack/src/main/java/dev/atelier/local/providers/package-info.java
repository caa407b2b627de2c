/**
 * The generation providers of the local stack: one loopback stand-in provider (Replicate's
 * predictions API) per provider of the catalog, and the environment that points the functions at
 * them.
 */
package dev.atelier.local.providers;
