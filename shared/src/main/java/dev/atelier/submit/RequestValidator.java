package dev.atelier.submit;

import dev.atelier.catalog.ModelCapabilities;
import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.SystemConfig;
import dev.atelier.generations.GenerationParams;
import dev.atelier.generations.MediaKind;
import dev.atelier.generations.Visibility;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.platform.Refusal;
import dev.atelier.store.WireEnum;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a submit request against the catalog and fills in the defaults of {@code system/config};
 * every problem becomes one field error, all reported together (400 INVALID_ARGUMENT, {@code
 * details.fields}).
 */
final class RequestValidator {

  /** Longest negative prompt any model takes. */
  static final int MAX_NEGATIVE_PROMPT = 1000;

  private RequestValidator() {}

  /**
   * @param model the requested (or default) model; empty when no such document exists
   * @param now for the deprecation check
   */
  static Validated validate(
      SubmitRequest request, SystemConfig config, Optional<ModelConfig> model, Instant now) {
    Map<String, String> errors = new LinkedHashMap<>();
    String modelId = request.model().orElse(config.defaults().model());
    if (model.isEmpty()) {
      errors.put("model", "unknown model '" + modelId + "'");
      throw invalid(errors);
    }
    ModelConfig m = model.get();
    ModelCapabilities caps = m.capabilities();
    if (m.deprecatedAt() != null && !now.isBefore(m.deprecatedAt())) {
      errors.put("model", "model '" + m.id() + "' is deprecated");
    }
    if (m.generationType().mediaKind() == MediaKind.TEXT) {
      errors.put("model", "model '" + m.id() + "' does not generate media");
    }
    request
        .generationType()
        .ifPresent(
            t -> {
              if (!t.equals(m.generationType().wire())) {
                errors.put(
                    "generationType",
                    "model '" + m.id() + "' generates " + m.generationType().wire() + ", not " + t);
              }
            });

    String prompt = request.prompt().strip();
    long maxPrompt = Math.min(config.limits().maxPromptLength(), caps.maxPromptLength());
    long promptLength = prompt.codePointCount(0, prompt.length());
    if (promptLength == 0) {
      errors.put("prompt", "must not be blank");
    } else if (promptLength > maxPrompt) {
      errors.put("prompt", "must be at most " + maxPrompt + " characters");
    } else if (hasControlCharacters(prompt)) {
      errors.put("prompt", "must not contain control characters (newline and tab are allowed)");
    }

    long numOutputs = request.numOutputs().orElse(1L);
    if (numOutputs < 1 || numOutputs > caps.maxOutputs()) {
      errors.put("numOutputs", "must be between 1 and " + caps.maxOutputs() + " for " + m.id());
    }

    String aspectRatio = null;
    if (caps.aspectRatios().isEmpty()) {
      request
          .aspectRatio()
          .ifPresent(a -> errors.put("aspectRatio", m.id() + " takes no aspect ratio"));
    } else {
      String fallback =
          caps.aspectRatios().contains(config.defaults().aspectRatio())
              ? config.defaults().aspectRatio()
              : caps.aspectRatios().get(0);
      aspectRatio = request.aspectRatio().orElse(fallback);
      if (!caps.aspectRatios().contains(aspectRatio)) {
        errors.put("aspectRatio", "must be one of " + caps.aspectRatios() + " for " + m.id());
      }
    }

    Long duration = null;
    if (!caps.takesDuration()) {
      request
          .durationSeconds()
          .ifPresent(d -> errors.put("durationSeconds", m.id() + " takes no duration"));
    } else {
      duration =
          request
              .durationSeconds()
              .orElse(
                  caps.durationsSeconds().isEmpty()
                      ? Math.min(5, caps.maxDurationSeconds())
                      : caps.durationsSeconds().get(0));
      if (!caps.allowsDuration(duration)) {
        errors.put(
            "durationSeconds",
            caps.durationsSeconds().isEmpty()
                ? "must be between 1 and " + caps.maxDurationSeconds() + " for " + m.id()
                : "must be one of " + caps.durationsSeconds() + " for " + m.id());
      }
    }

    Visibility visibility = config.defaults().visibility();
    if (request.visibility().isPresent()) {
      try {
        visibility = WireEnum.fromWire(Visibility.class, request.visibility().get());
      } catch (IllegalArgumentException e) {
        errors.put("visibility", "must be one of " + WireEnum.allowed(Visibility.class));
      }
    }

    List<String> tags = List.of();
    if (request.tags().isPresent()) {
      try {
        tags = GenerationService.normaliseTags(request.tags().get(), "tags");
      } catch (Refusal e) {
        errors.put(
            "tags",
            "at most "
                + GenerationService.MAX_TAGS
                + " tags of 1-"
                + GenerationService.MAX_TAG_LENGTH
                + " characters");
      }
    }

    String negative =
        request.negativePrompt().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    if (negative != null) {
      if (!caps.negativePrompt()) {
        errors.put("negativePrompt", m.id() + " takes no negative prompt");
      } else if (negative.codePointCount(0, negative.length()) > MAX_NEGATIVE_PROMPT) {
        errors.put("negativePrompt", "must be at most " + MAX_NEGATIVE_PROMPT + " characters");
      } else if (hasControlCharacters(negative)) {
        errors.put(
            "negativePrompt", "must not contain control characters (newline and tab are allowed)");
      }
    }

    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    if (!m.status().isAvailable()) {
      // The health check takes a model out while none of its providers can run it: a passing
      // state, so a 503 to retry later (as when routing finds no provider), not a 400.
      throw new Refusal(
          Refusal.Problem.NO_PROVIDER_AVAILABLE,
          "model " + m.id() + " is not available right now; nothing was charged",
          Map.of(
              "model",
              m.id(),
              "healthStatus",
              m.status().healthStatus() == null ? "unknown" : m.status().healthStatus().wire()),
          SubmitService.NO_PROVIDER_RETRY_AFTER);
    }
    long cost = m.pricing().cost(numOutputs, duration == null ? 0 : numOutputs * duration);
    return new Validated(
        m,
        config,
        prompt,
        new GenerationParams(numOutputs, aspectRatio, duration, negative),
        visibility,
        tags,
        cost);
  }

  /** C0/C1 controls, DEL and unpaired surrogates other than newline and tab. */
  static boolean hasControlCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\t') {
        continue;
      }
      if (Character.isISOControl(c)) {
        return true;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static Refusal invalid(Map<String, String> errors) {
    return new Refusal(
        Refusal.Problem.INVALID_ARGUMENT,
        "request body has invalid fields",
        Map.of("fields", errors));
  }
}
