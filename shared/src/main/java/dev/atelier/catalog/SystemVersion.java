package dev.atelier.catalog;

import java.time.Instant;

/**
 * {@code system/version}: what is deployed, stored as {@code {type: "version", version:
 * {application, schema, buildTime, gitCommit, environment}, createdAt, updatedAt}}. {@code
 * gitCommit} and {@code buildTime} may be null.
 */
public record SystemVersion(
    String application,
    long schema,
    Instant buildTime,
    String gitCommit,
    DeploymentEnvironment environment,
    Instant createdAt,
    Instant updatedAt) {

  public static final class Field {
    public static final String TYPE = "type";
    public static final String VERSION = "version";
    public static final String APPLICATION = "application";
    public static final String SCHEMA = "schema";
    public static final String BUILD_TIME = "buildTime";
    public static final String GIT_COMMIT = "gitCommit";
    public static final String ENVIRONMENT = "environment";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    private Field() {}
  }
}
