package dev.atelier.local.bench;

import dev.atelier.local.manifest.FunctionSpec;
import dev.atelier.local.process.FunctionProcesses;
import dev.atelier.local.process.ProcessSupervisor;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One thing whose cold start is measured: how to start it and what to ask it first. */
record Target(String name, Launcher launcher, Requests.Call call, int expectedStatus) {

  /** Starts one instance on {@code port}; returns the process (its pid is the server's). */
  @FunctionalInterface
  interface Launcher {
    Process start(int port);
  }

  static Target java(
      String name,
      FunctionSpec spec,
      Path classpath,
      FunctionProcesses processes,
      Path logs,
      Requests.Call call,
      int expectedStatus) {
    return new Target(
        name, port -> processes.start(spec, classpath, port, logs).process(), call, expectedStatus);
  }

  static Target node(
      String name,
      Path folder,
      Map<String, String> env,
      ProcessSupervisor supervisor,
      Path logs,
      Requests.Call call,
      int expectedStatus) {
    return new Target(
        name,
        port -> {
          Map<String, String> nodeEnv = new LinkedHashMap<>(env);
          nodeEnv.put("PORT", Integer.toString(port));
          nodeEnv.put("NODE_ENV", "production");
          return supervisor.start(
              "node-peer",
              List.of("node", "serve.js"),
              nodeEnv,
              folder,
              logs.resolve("node-peer.log"));
        },
        call,
        expectedStatus);
  }

  static URI base(int port) {
    return URI.create("http://127.0.0.1:" + port + "/");
  }
}
