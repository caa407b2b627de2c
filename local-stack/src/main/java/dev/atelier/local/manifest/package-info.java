/**
 * The function manifest ({@code functions/manifest.json}): the one list of deployed functions with
 * their entry points, triggers and runtime settings that the local stack, the tests and Terraform
 * all read.
 */
package dev.atelier.local.manifest;
