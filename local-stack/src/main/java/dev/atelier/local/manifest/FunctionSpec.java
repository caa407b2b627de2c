package dev.atelier.local.manifest;

import java.util.Map;

/** One deployed function as the manifest declares it; {@code name} is also its module directory. */
public record FunctionSpec(
        String name,
        String entryPoint,
        Trigger trigger,
        int memoryMb,
        int timeoutSeconds,
        int minInstances,
        int maxInstances,
        Map<String, String> env,
        boolean retry) {

    public FunctionSpec {
        env = Map.copyOf(env);
    }
}
