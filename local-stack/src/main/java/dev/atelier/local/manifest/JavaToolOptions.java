package dev.atelier.local.manifest;

/**
 * The JVM flags every function runs with, locally and deployed: the manifest's {@code
 * javaToolOptions} template with {@code {memoryMb}} filled in. Setting JAVA_TOOL_OPTIONS turns off
 * the buildpack's own MaxRAM flags, so the template carries them.
 */
public final class JavaToolOptions {

  private JavaToolOptions() {}

  public static String forFunction(String template, FunctionSpec function) {
    return template.replace("{memoryMb}", Integer.toString(function.memoryMb()));
  }
}
