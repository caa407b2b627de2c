package dev.atelier.submit;

import java.util.List;
import java.util.Optional;

/** The body of {@code POST /submit-generation} as sent; only {@code prompt} is required. */
public record SubmitRequest(
    String prompt,
    Optional<String> model,
    Optional<String> generationType,
    Optional<Long> numOutputs,
    Optional<String> aspectRatio,
    Optional<Long> durationSeconds,
    Optional<String> visibility,
    Optional<List<String>> tags,
    Optional<String> negativePrompt) {}
