package dev.atelier.emulator.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.emulator.rules.lang.Parser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expression language: values, operators, methods and error semantics. */
class EvaluatorTest {

  private static final Map<String, Val> VARS = new LinkedHashMap<>();

  static {
    Map<String, Val> data = new LinkedHashMap<>();
    data.put("name", new Val.Str("Ada"));
    data.put("age", new Val.Int(36));
    data.put("score", new Val.Float(2.5));
    data.put("tags", new Val.ListV(List.of(new Val.Str("a"), new Val.Str("b"))));
    data.put("nested", new Val.MapV(Map.of("deep", new Val.Int(1))));
    data.put("nothing", Val.NULL);
    VARS.put("doc", new Val.MapV(data));
    VARS.put("now", Times.timestamp(1_700_000_000L, 500));
  }

  private static Val eval(String expression) {
    return eval(expression, VARS);
  }

  private static Val eval(String expression, Map<String, Val> vars) {
    return new Evaluator(EvalContext.withoutLookups())
        .eval(Parser.parseExpression(expression), Scope.root(vars, List.of()));
  }

  private static void yes(String expression) {
    assertEquals(Val.TRUE, eval(expression), expression);
  }

  private static void no(String expression) {
    assertEquals(Val.FALSE, eval(expression), expression);
  }

  private static EvalException error(String expression) {
    return assertThrows(EvalException.class, () -> eval(expression), expression);
  }

  @Test
  void andOrForgiveAnErrorOnlyWhenTheOtherSideDecides() {
    no("doc.missing == 1 && false");
    no("false && doc.missing == 1");
    yes("doc.missing == 1 || true");
    yes("true || doc.missing == 1");
    error("doc.missing == 1 && true");
    error("doc.missing == 1 || false");
    error("!(doc.missing == 1)");
    error("doc.missing == 1 ? true : true");
  }

  @Test
  void nonBooleanOperandsOfLogicalOperatorsAreErrors() {
    error("1 && true");
    error("'x' || false");
    error("!1");
  }

  @Test
  void equalityAcrossTypesIsFalseButIntsEqualTheirFloats() {
    yes("1 == 1.0");
    no("1 == 1.5");
    no("1 == '1'");
    no("null == false");
    yes("null == null");
    no("0.0 / 0.0 == 0.0 / 0.0");
    yes("[1, 'a', {'k': [true]}] == [1.0, 'a', {'k': [true]}]");
    no("{'a': 1} == {'a': 1, 'b': 2}");
    yes("doc.nothing == null");
  }

  @Test
  void orderingIsDefinedForNumbersStringsTimestampsAndDurationsOnly() {
    yes("1 < 1.5");
    yes("'abc' < 'abd'");
    yes("'Z' < 'a'");
    yes("now < now + duration.value(1, 's')");
    yes("duration.value(1, 'm') > duration.value(59, 's')");
    error("1 < '2'");
    error("[1] < [2]");
    error("null < 1");
  }

  @Test
  void integerArithmeticIsExactAndMixesIntoFloats() {
    assertEquals(new Val.Int(7), eval("1 + 2 * 3"));
    assertEquals(new Val.Int(3), eval("7 / 2"));
    assertEquals(new Val.Int(-3), eval("-7 / 2"));
    assertEquals(new Val.Int(1), eval("7 % 3"));
    assertEquals(new Val.Float(3.5), eval("7 / 2.0"));
    assertEquals(new Val.Float(38.5), eval("doc.age + doc.score"));
    error("9223372036854775807 + 1");
    error("1 / 0");
    error("1 % 0");
    error("'a' - 'b'");
    assertEquals(new Val.Str("ab"), eval("'a' + 'b'"));
    assertEquals(new Val.ListV(List.of(new Val.Int(1), new Val.Int(2))), eval("[1] + [2]"));
  }

  @Test
  void precedenceFollowsTheLanguage() {
    yes("1 + 2 == 3 && 2 * 3 > 5 || false");
    yes("'a' in ['a'] == true");
    yes("!false && true");
    assertEquals(new Val.Int(2), eval("true ? 1 + 1 : 0"));
    yes("-doc.age < 0");
  }

  @Test
  void memberAccessOnAMissingKeyOrOnNullIsAnError() {
    assertEquals(new Val.Str("Ada"), eval("doc.name"));
    assertEquals(new Val.Int(1), eval("doc.nested.deep"));
    assertEquals(new Val.Int(1), eval("doc['nested']['deep']"));
    assertTrue(error("doc.missing").getMessage().contains("Property missing is undefined"));
    assertTrue(error("doc.nothing.x").getMessage().contains("Null value error"));
    error("undefinedVariable");
  }

  @Test
  void errorsCarryTheirPosition() {
    EvalException e = error("true &&\n  doc.missing");
    assertEquals(2, e.pos().line());
    assertEquals(7, e.pos().column());
  }

  @Test
  void stringMethods() {
    assertEquals(new Val.Int(3), eval("doc.name.size()"));
    assertEquals(new Val.Int(2), eval("'日本'.size()"));
    yes("doc.name.matches('A.*')");
    no("doc.name.matches('d')");
    yes("'ADA'.lower() == 'ada' && 'ada'.upper() == 'ADA'");
    yes("'  x '.trim() == 'x'");
    yes("'a,b,c'.split(',') == ['a', 'b', 'c']");
    yes("'a-b'.replace('-', '+') == 'a+b'");
    yes("'abc'[1] == 'b' && 'abcdef'[1:3] == 'bc'");
    yes("'x'.toUtf8().size() == 1");
    error("'x'.nope()");
    error("'x'.matches('(')");
  }

  @Test
  void listMethods() {
    yes("doc.tags.size() == 2");
    yes("'a' in doc.tags");
    no("'z' in doc.tags");
    yes("doc.tags.hasAll(['a'])");
    no("doc.tags.hasAll(['a', 'z'])");
    yes("doc.tags.hasAny(['z', 'b'])");
    yes("doc.tags.hasOnly(['a', 'b', 'c'])");
    no("doc.tags.hasOnly(['a'])");
    yes("doc.tags.join('/') == 'a/b'");
    yes("doc.tags.concat(['c']) == ['a', 'b', 'c']");
    yes("['a', 'b', 'a'].removeAll(['a']) == ['b']");
    yes("['a', 'b', 'a'].toSet().size() == 2");
    yes("doc.tags[0] == 'a' && doc.tags[0:1] == ['a']");
    error("doc.tags[5]");
  }

  @Test
  void mapMethods() {
    yes("doc.keys().hasAll(['name', 'age'])");
    yes("doc.size() == 6");
    yes("'name' in doc");
    no("'missing' in doc");
    yes("doc.get('missing', 7) == 7");
    yes("doc.get('age', 7) == 36");
    yes("doc.get(['nested', 'deep'], 0) == 1");
    yes("doc.get(['nested', 'none'], 0) == 0");
    yes("{'a': 1}.values() == [1]");
  }

  @Test
  void mapDiffSetsOfKeys() {
    Map<String, Val> vars = new LinkedHashMap<>(VARS);
    vars.put("before", eval("{'a': 1, 'b': 2, 'c': 3}"));
    vars.put("after", eval("{'a': 1, 'b': 20, 'd': 4}"));
    assertEquals(Val.TRUE, eval("after.diff(before).addedKeys() == ['c'].toSet()", vars));
    assertEquals(Val.TRUE, eval("after.diff(before).removedKeys() == ['d'].toSet()", vars));
    assertEquals(Val.TRUE, eval("after.diff(before).changedKeys() == ['b'].toSet()", vars));
    assertEquals(Val.TRUE, eval("after.diff(before).unchangedKeys() == ['a'].toSet()", vars));
    assertEquals(
        Val.TRUE, eval("after.diff(before).affectedKeys() == ['b', 'c', 'd'].toSet()", vars));
    assertEquals(
        Val.TRUE, eval("before.diff(after).affectedKeys().hasOnly(['b', 'c', 'd'])", vars));
    assertEquals(Val.FALSE, eval("before.diff(after).affectedKeys().hasOnly(['b'])", vars));
    assertEquals(Val.TRUE, eval("before.diff(before).affectedKeys().size() == 0", vars));
  }

  @Test
  void setMethods() {
    yes("[1, 2].toSet().union([3].toSet()) == [1, 2, 3].toSet()");
    yes("[1, 2].toSet().intersection([2, 3].toSet()) == [2].toSet()");
    yes("[1, 2].toSet().difference([2].toSet()) == [1].toSet()");
    yes("[1, 2].toSet() == [2, 1].toSet()");
    yes("2 in [1, 2].toSet()");
    yes("[1, 2].toSet().hasOnly([1, 2, 3])");
  }

  @Test
  void timestampsAndDurations() {
    yes("now.year() == 2023 && now.month() == 11 && now.day() == 14");
    yes("now.hours() == 22 && now.minutes() == 13 && now.seconds() == 20 && now.nanos() == 500");
    yes("now.date() == timestamp.date(2023, 11, 14)");
    yes("now.toMillis() == 1700000000000");
    yes("timestamp.value(1700000000000) + duration.value(500, 'ns') == now");
    yes("now - timestamp.value(1700000000000) == duration.value(500, 'ns')");
    yes("(now + duration.value(2, 'h')) - now == duration.time(2, 0, 0, 0)");
    yes("duration.value(90, 's').seconds() == 90");
    yes("now.dayOfWeek() == 2 && now.dayOfYear() == 318");
    yes("now.time() == duration.time(22, 13, 20, 500)");
    error("duration.value(1, 'fortnight')");
    error("timestamp.date(2023, 2, 30)");
  }

  @Test
  void typeChecks() {
    yes("doc.name is string && doc.age is int && doc.score is float");
    yes("doc.age is number && doc.score is number");
    yes("doc.tags is list && doc.nested is map && now is timestamp");
    yes("duration.value(1, 's') is duration && [1].toSet() is set");
    yes("/databases/x/documents/a/b is path");
    no("doc.age is string");
    no("doc.nothing is map");
    error("doc.age is integer");
  }

  @Test
  void pathsInterpolateAndIndex() {
    Map<String, Val> vars = new LinkedHashMap<>(VARS);
    vars.put("database", new Val.Str("(default)"));
    vars.put("uid", new Val.Str("u1"));
    assertEquals(
        new Val.PathV(List.of("databases", "(default)", "documents", "users", "u1")),
        eval("/databases/$(database)/documents/users/$(uid)", vars));
    assertEquals(Val.TRUE, eval("/databases/$(database)/documents/users/$(uid)[4] == 'u1'", vars));
    assertEquals(
        Val.TRUE,
        eval(
            "path('/databases/(default)/documents/users/u1') == "
                + "/databases/(default)/documents/users/$(uid)",
            vars));
    assertEquals(new Val.PathV(List.of("a", "u1_x")), eval("/a/$(uid)_x", vars));
  }

  @Test
  void conversionsAndMath() {
    yes("string(1) == '1' && string(true) == 'true' && string(null) == 'null'");
    yes("int('42') == 42 && int(2.9) == 2 && float(1) == 1.0");
    yes("math.abs(-2) == 2 && math.ceil(1.2) == 2 && math.floor(1.8) == 1 && math.round(2.5) == 3");
    yes("math.sqrt(4.0) == 2.0 && math.pow(2, 10) == 1024.0");
    yes("math.isNaN(0.0 / 0.0) && math.isInfinite(1.0 / 0.0)");
    yes("hashing.sha256('abc').toHexString().matches('BA7816BF.*')");
    yes("latlng.value(0, 0).distance(latlng.value(0, 1)) > 111000");
    error("int('x')");
  }

  @Test
  void unknownValuesNeverDecideAnythingButShortCircuits() {
    Map<String, Val> vars = new LinkedHashMap<>(VARS);
    vars.put("doc", new Val.PartialMap(Map.of("isPublic", Val.TRUE)));
    vars.put("id", new Val.Unknown("the document id"));
    assertEquals(Val.TRUE, eval("doc.isPublic == true", vars));
    assertTrue(assertThrows(EvalException.class, () -> eval("doc.owner == 'u1'", vars)).unknown());
    assertTrue(assertThrows(EvalException.class, () -> eval("id == 'x'", vars)).unknown());
    assertTrue(
        assertThrows(EvalException.class, () -> eval("!(doc.owner == 'u1')", vars)).unknown());
    assertTrue(
        assertThrows(EvalException.class, () -> eval("doc.keys().size() > 0", vars)).unknown());
    assertTrue(
        assertThrows(EvalException.class, () -> eval("doc == {'isPublic': true}", vars)).unknown());
    assertEquals(Val.FALSE, eval("doc.owner == 'u1' && doc.isPublic == false", vars));
    assertEquals(Val.TRUE, eval("doc.owner == 'u1' || doc.isPublic", vars));
    assertEquals(Val.TRUE, eval("'isPublic' in doc && doc.get('isPublic', false)", vars));
    assertEquals(Val.TRUE, eval("doc is map", vars));
  }

  @Test
  void functionsOfTheLanguageAreLimited() {
    assertThrows(EvalException.class, () -> eval("get(/databases/d/documents/a/b)"));
  }

  @Test
  void bytesLiterals() {
    yes("b'abc'.size() == 3 && b'\\x00\\xff'.toBase64() == 'AP8='");
    no("b'a' == 'a'");
  }

  @Test
  void evaluationBudgetStopsRunawayExpressions() {
    StringBuilder big = new StringBuilder("[0");
    for (int i = 0; i < 1100; i++) {
      big.append(", ").append(i);
    }
    assertTrue(error(big + "].size() > 0").getMessage().contains("maximum number of expressions"));
    assertEquals(new Val.Int(901), eval(big.substring(0, big.indexOf(", 900,")) + "].size()"));
  }

  @Test
  void listsAreNotEqualToSets() {
    assertFalse(Equality.equal(eval("[1]"), eval("[1].toSet()")));
  }
}
