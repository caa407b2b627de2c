package dev.atelier.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atelier.emulator.rules.PathSegment;
import dev.atelier.emulator.rules.RulesEngine;
import dev.atelier.emulator.rules.eval.EvalContext;
import dev.atelier.emulator.rules.eval.Val;
import dev.atelier.emulator.rules.lang.AccessMethod;
import dev.atelier.testsupport.RepoFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * storage.rules against SPEC "Media" with the emulator's rules engine (our storage emulator does
 * not enforce rules; media are served by token URLs): clients read their own generations/{uid}/**
 * and write nothing.
 */
class StorageRulesTest {
  private static final String BUCKET = "atelier-media";
  private static RulesEngine rules;

  @BeforeAll
  static void load() throws Exception {
    rules =
        RulesEngine.compile(
            Files.readString(RepoFiles.find("storage.rules"), StandardCharsets.UTF_8),
            "storage.rules",
            "firebase.storage");
  }

  private static boolean allowed(AccessMethod method, String object, String uid) {
    List<PathSegment> path =
        new ArrayList<>(
            List.of(
                new PathSegment.Known("b"),
                new PathSegment.Known(BUCKET),
                new PathSegment.Known("o")));
    for (String s : object.split("/")) {
      path.add(s.equals("*") ? new PathSegment.AnyOne("an object name") : new PathSegment.Known(s));
    }
    Map<String, Val> request = new LinkedHashMap<>();
    request.put(
        "auth",
        uid == null
            ? Val.NULL
            : new Val.MapV(
                Map.of(
                    "uid",
                    new Val.Str(uid),
                    "token",
                    new Val.MapV(Map.of("sub", new Val.Str(uid))))));
    Map<String, Val> globals = new LinkedHashMap<>();
    globals.put("request", new Val.MapV(request));
    globals.put(
        "resource",
        new Val.MapV(
            Map.of(
                "name",
                new Val.Str(object),
                "size",
                new Val.Int(1024),
                "contentType",
                new Val.Str("image/png"))));
    return rules.decide(method, path, globals, EvalContext.withoutLookups()).allowed();
  }

  @Test
  void ownersReadTheirOwnMedia() {
    assertEquals(true, allowed(AccessMethod.GET, "generations/ada/h1/m1.png", "ada"));
    assertEquals(true, allowed(AccessMethod.LIST, "generations/ada/h1/*", "ada"));
    assertEquals(true, allowed(AccessMethod.GET, "generations/ada/h1/thumbs/m1.jpg", "ada"));
  }

  @Test
  void nobodyElseReadsThemByPath() {
    assertEquals(false, allowed(AccessMethod.GET, "generations/ada/h1/m1.png", "bob"));
    assertEquals(false, allowed(AccessMethod.GET, "generations/ada/h1/m1.png", null));
    assertEquals(false, allowed(AccessMethod.LIST, "generations/*", "ada"));
    assertEquals(false, allowed(AccessMethod.GET, "other/ada/x.png", "ada"));
  }

  @Test
  void clientsWriteNothing() {
    for (AccessMethod write :
        List.of(AccessMethod.CREATE, AccessMethod.UPDATE, AccessMethod.DELETE)) {
      assertEquals(false, allowed(write, "generations/ada/h1/m1.png", "ada"), write.name());
      assertEquals(false, allowed(write, "generations/ada/new.png", "ada"), write.name());
      assertEquals(false, allowed(write, "anything.png", null), write.name());
    }
  }
}
