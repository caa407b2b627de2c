package dev.atelier.emulator.rules.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.emulator.rules.lang.Declarations.MatchBlock;
import dev.atelier.emulator.rules.lang.Declarations.RulesFile;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParserTest {
  private static final Set<String> GLOBALS = Set.of("get", "exists");

  private static RulesFile parse(String source) {
    RulesFile file = Parser.parse(source, "test.rules");
    Resolver.check(file, GLOBALS);
    return file;
  }

  private static RulesSyntaxException fails(String source) {
    return assertThrows(RulesSyntaxException.class, () -> parse(source));
  }

  @Test
  void parsesServicesMatchesAllowsAndFunctions() {
    RulesFile file =
        parse(
            """
        rules_version = '2';
        // a comment
        service cloud.firestore {
          match /databases/{database}/documents {
            function signedIn() { return request.auth != null; }
            /* block
               comment */
            match /users/{uid} {
              allow read: if signedIn() && request.auth.uid == uid;
              allow create, update: if false;
              allow delete;
            }
            match /{path=**}/items/{item} {
              function owner(u) {
                let me = request.auth.uid;
                return me == u;
              }
              allow list: if owner(path[1])
            }
          }
        }
        """);
    assertEquals("2", file.version());
    MatchBlock database = file.service("cloud.firestore").orElseThrow().matches().get(0);
    assertEquals(
        List.of(
            new PatternSegment.Literal("databases"),
            new PatternSegment.Single("database"),
            new PatternSegment.Literal("documents")),
        database.pattern());
    assertEquals("signedIn", database.functions().get(0).name());
    MatchBlock users = database.children().get(0);
    assertEquals(EnumSet.of(AccessMethod.GET, AccessMethod.LIST), users.allows().get(0).methods());
    assertEquals(
        EnumSet.of(AccessMethod.CREATE, AccessMethod.UPDATE), users.allows().get(1).methods());
    assertTrue(users.allows().get(2).condition().isEmpty());
    assertEquals(new Pos(9, 7), users.allows().get(0).pos());
    MatchBlock items = database.children().get(1);
    assertEquals(new PatternSegment.Recursive("path"), items.pattern().get(0));
    assertEquals(1, items.functions().get(0).lets().size());
  }

  @Test
  void versionDefaultsToOne() {
    assertEquals(
        "1", parse("service cloud.firestore { match /a/{b} { allow read: if true; } }").version());
  }

  @Test
  void operatorPrecedence() {
    Expr e = Parser.parseExpression("a || b && c == d + e * f");
    Expr.Binary or = assertInstanceOf(Expr.Binary.class, e);
    assertEquals(Expr.Op.OR, or.op());
    Expr.Binary and = assertInstanceOf(Expr.Binary.class, or.right());
    assertEquals(Expr.Op.AND, and.op());
    Expr.Binary eq = assertInstanceOf(Expr.Binary.class, and.right());
    assertEquals(Expr.Op.EQ, eq.op());
    Expr.Binary plus = assertInstanceOf(Expr.Binary.class, eq.right());
    assertEquals(Expr.Op.ADD, plus.op());
    assertEquals(Expr.Op.MUL, assertInstanceOf(Expr.Binary.class, plus.right()).op());
    Expr.Binary in = assertInstanceOf(Expr.Binary.class, Parser.parseExpression("x in y == true"));
    assertEquals(Expr.Op.EQ, in.op());
    assertInstanceOf(Expr.Ternary.class, Parser.parseExpression("a ? b : c ? d : e"));
    assertInstanceOf(Expr.Is.class, Parser.parseExpression("request.resource.data.n is int"));
  }

  @Test
  void pathLiteralsWithInterpolationAndDivisionDoNotMix() {
    Expr.PathLit path =
        assertInstanceOf(
            Expr.PathLit.class,
            Parser.parseExpression("/databases/$(database)/documents/users/$(request.auth.uid)"));
    assertEquals(5, path.segments().size());
    assertInstanceOf(Expr.PathPart.Interpolation.class, path.segments().get(4).get(0));
    assertEquals(
        Expr.Op.DIV, assertInstanceOf(Expr.Binary.class, Parser.parseExpression("a / b")).op());
    Expr.Member data =
        assertInstanceOf(
            Expr.Member.class,
            Parser.parseExpression("get(/databases/(default)/documents/a/$(x)).data"));
    Expr.Call get = assertInstanceOf(Expr.Call.class, data.target());
    assertInstanceOf(Expr.PathLit.class, get.args().get(0));
  }

  @Test
  void syntaxErrorsGiveLineAndColumn() {
    RulesSyntaxException e =
        fails(
            """
        service cloud.firestore {
          match /a/{b} {
            allow read: if request.auth != null &&;
          }
        }
        """);
    assertEquals(new Pos(3, 43), e.pos());
    assertTrue(
        e.getMessage().startsWith("test.rules:3:43: expected an expression"), e.getMessage());
  }

  @Test
  void unknownMethodsWildcardsAndFunctionsAreRejected() {
    assertEquals(
        new Pos(1, 44),
        fails("service cloud.firestore { match /a { allow edit: if true; } }").pos());
    assertTrue(
        fails("service cloud.firestore { match /a/{b=*} { allow read; } }")
            .getMessage()
            .contains("wildcard"));
    assertTrue(
        fails("service cloud.firestore { match /{a=**}/{b=**} { allow read; } }")
            .getMessage()
            .contains("only one recursive"));
    RulesSyntaxException unknown =
        fails("service cloud.firestore {\n match /a/{b} {\n  allow read: if isAdmin();\n }\n}");
    assertEquals(new Pos(3, 18), unknown.pos());
    assertTrue(unknown.getMessage().contains("unknown function 'isAdmin'"));
    assertTrue(
        fails(
                "service cloud.firestore { function f(a) { return a; } match /a { allow read: if f(1, 2); } }")
            .getMessage()
            .contains("takes 1 argument"));
    assertTrue(
        fails("service cloud.firestore { function f() { return 1; } function f() { return 2; } }")
            .getMessage()
            .contains("declared twice"));
  }

  @Test
  void functionsAreVisibleOnlyInTheirBlockAndBelow() {
    fails(
        """
        service cloud.firestore {
          match /a/{x} { function inner() { return true; } }
          match /b/{y} { allow read: if inner(); }
        }
        """);
    parse(
        """
        service cloud.firestore {
          function outer() { return true; }
          match /a/{x} { match /b/{y} { allow read: if outer(); } }
        }
        """);
  }

  @Test
  void unterminatedThingsAreReported() {
    assertTrue(
        fails("service cloud.firestore { match /a { allow read: if 'x; } }")
            .getMessage()
            .contains("unterminated string"));
    assertTrue(
        fails("service cloud.firestore { /* never closed")
            .getMessage()
            .contains("unterminated comment"));
    assertTrue(
        fails("service cloud.firestore { match /a { allow read: if true; }")
            .getMessage()
            .contains("expected"));
    assertTrue(
        fails("rules_version = '3'; service cloud.firestore {}")
            .getMessage()
            .contains("rules_version"));
    assertTrue(fails("").getMessage().contains("expected 'service'"));
  }

  @Test
  void expressionsNestedTooDeeplyAreRefusedWhereTheyStart() {
    String chain = "true" + " && true".repeat(Parser.MAX_NESTING);
    RulesSyntaxException e =
        fails("service cloud.firestore {\n match /a/{b} {\n  allow read: if " + chain + ";\n }\n}");
    assertEquals(new Pos(3, 18), e.pos());
    assertTrue(e.getMessage().contains("nested more than"), e.getMessage());
    String parens =
        "(".repeat(Parser.MAX_NESTING + 1) + "true" + ")".repeat(Parser.MAX_NESTING + 1);
    assertTrue(
        assertThrows(RulesSyntaxException.class, () -> Parser.parseExpression(parens))
            .getMessage()
            .contains("nested more than"));
    assertTrue(
        assertThrows(
                RulesSyntaxException.class, () -> Parser.parseExpression("!".repeat(500) + "true"))
            .getMessage()
            .contains("nested more than"));
    Parser.parseExpression("true" + " && true".repeat(Parser.MAX_NESTING - 2));
  }

  @Test
  void literals() {
    assertEquals(new Expr.IntLit(255, new Pos(1, 1)), Parser.parseExpression("0xff"));
    assertEquals(
        1.5e3, assertInstanceOf(Expr.FloatLit.class, Parser.parseExpression("1.5e3")).value());
    assertEquals(
        "a'b\n",
        assertInstanceOf(Expr.StringLit.class, Parser.parseExpression("'a\\'b\\n'")).value());
    assertEquals(
        "a\\d", assertInstanceOf(Expr.StringLit.class, Parser.parseExpression("r'a\\d'")).value());
    assertEquals(
        2,
        assertInstanceOf(Expr.MapLit.class, Parser.parseExpression("{'a': 1, 'b': [2, 3],}"))
            .entries()
            .size());
  }
}
