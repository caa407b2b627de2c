/**
 * The catalog operators load and every function reads: plans {@code plans/{code}} ({@link
 * dev.atelier.catalog.Plan}, {@link dev.atelier.catalog.PlanCode}), the generation models {@code
 * models_config/{id}}, and the system documents {@code system/config}, {@code system/version} and
 * {@code system/health}.
 */
package dev.atelier.catalog;
