package dev.atelier.local.manifest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One deployed function as the manifest declares it; {@code name} is also its module directory.
 *
 * @param cpu vCPUs of one instance (Terraform's {@code available_cpu}); below 1 allows only
 *     concurrency 1
 * @param concurrency requests one instance serves at once (Terraform's {@code
 *     max_instance_request_concurrency})
 * @param uses what it needs beyond Firestore (provider settings and secrets, the media bucket)
 * @param functionUrls environment variables that hold another function's HTTPS URL: variable name
 *     to function name
 */
public record FunctionSpec(
    String name,
    String entryPoint,
    Trigger trigger,
    int memoryMb,
    int timeoutSeconds,
    int minInstances,
    int maxInstances,
    Map<String, String> env,
    boolean retry,
    double cpu,
    int concurrency,
    Set<Capability> uses,
    Map<String, String> functionUrls) {

  public FunctionSpec {
    env = Map.copyOf(env);
    uses = Set.copyOf(uses);
    functionUrls = Map.copyOf(functionUrls);
    if (!(cpu > 0) || concurrency < 1) {
      throw new IllegalArgumentException(name + ": cpu must be > 0 and concurrency >= 1");
    }
    if (cpu < 1 && concurrency > 1) {
      throw new IllegalArgumentException(name + ": concurrency above 1 needs cpu >= 1 (Cloud Run)");
    }
  }

  /** This function with {@code extra} added to its environment ({@code extra} wins). */
  public FunctionSpec withEnv(Map<String, String> extra) {
    Map<String, String> merged = new LinkedHashMap<>(env);
    merged.putAll(extra);
    return new FunctionSpec(
        name,
        entryPoint,
        trigger,
        memoryMb,
        timeoutSeconds,
        minInstances,
        maxInstances,
        merged,
        retry,
        cpu,
        concurrency,
        uses,
        functionUrls);
  }

  /**
   * A function with one vCPU, one request at a time and nothing beyond Firestore (tests and tools).
   */
  public FunctionSpec(
      String name,
      String entryPoint,
      Trigger trigger,
      int memoryMb,
      int timeoutSeconds,
      int minInstances,
      int maxInstances,
      Map<String, String> env,
      boolean retry) {
    this(
        name,
        entryPoint,
        trigger,
        memoryMb,
        timeoutSeconds,
        minInstances,
        maxInstances,
        env,
        retry,
        1,
        1,
        Set.of(),
        Map.of());
  }
}
