package dev.atelier.providers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every configured provider's adapter and settings, by id; built once per instance. */
public final class Providers {

  /** SPEC: a dispatch that takes longer than this counts as unavailable (next route). */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, GenerationProvider> adapters = new LinkedHashMap<>();
  private final Map<String, ProviderSettings> settings = new LinkedHashMap<>();

  public Providers(List<ProviderSettings> all, Duration timeout) {
    for (ProviderSettings s : all) {
      settings.put(s.id(), s);
      adapters.put(
          s.id(),
          switch (s.protocol()) {
            case REPLICATE -> new ReplicateProvider(s, timeout);
          });
    }
  }

  /** The adapters for {@code all}, with the SPEC's call timeout. */
  public static Providers of(List<ProviderSettings> all) {
    return new Providers(all, CALL_TIMEOUT);
  }

  public Optional<GenerationProvider> adapter(String id) {
    return Optional.ofNullable(adapters.get(id));
  }

  public Optional<ProviderSettings> settings(String id) {
    return Optional.ofNullable(settings.get(id));
  }

  /** The configured provider ids, in configuration order. */
  public List<String> ids() {
    return List.copyOf(settings.keySet());
  }
}
