package dev.atelier.local.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance under a bounded loopback load: at each concurrency C, C workers send requests back
 * to back until the level's total is reached (at least 10 per worker); throughput, p50/p99 and any
 * answer other than the expected one.
 */
final class Concurrency {

  private Concurrency() {}

  static void run(Target subject, Benchmark.Options options) throws Exception {
    AtomicLong n = new AtomicLong(1_000_000);
    try (Instance instance = Instance.start(subject)) {
      HttpClient warmClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 100; i++) {
        instance.call(warmClient, n.getAndIncrement()); // JIT warm-up, not measured
      }
      System.out.println();
      System.out.printf(
          "One %s instance under load (%s), after 100 warm-up requests%n",
          subject.name(), "loopback, same 2 cores as the emulators and the load generator");
      System.out.printf(
          "%6s %8s %10s %8s %8s %8s %10s%n",
          "conc.", "requests", "req/s", "p50 ms", "p99 ms", "errors", "peak RSS");
      for (int concurrency : options.concurrency()) {
        int total = Math.max(options.perLevel(), concurrency * 10);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        // Not the workers' pool: the client needs threads of its own while every worker blocks.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
          workers.add(
              pool.submit(
                  () -> {
                    while (issued.getAndIncrement() < total) {
                      long start = System.nanoTime();
                      try {
                        instance.call(http, n.getAndIncrement());
                      } catch (Exception e) {
                        errors.incrementAndGet();
                      }
                      latencies.add((System.nanoTime() - start) / 1e6);
                    }
                    return null;
                  }));
        }
        for (Future<?> worker : workers) {
          worker.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        Stats s = Stats.of(latencies);
        System.out.printf(
            "%6d %8d %10.1f %8.1f %8.1f %8d %7.0f MB%n",
            concurrency,
            total,
            total / seconds,
            s.p50(),
            s.p99(),
            errors.get(),
            instance.peakRssMb());
      }
    }
  }
}
