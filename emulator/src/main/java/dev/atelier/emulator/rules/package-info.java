/**
 * Firebase security rules for the emulator: {@link dev.atelier.emulator.rules.RulesEngine} decides
 * a request against one service of a rules file (match paths, allow statements, functions), and
 * {@link dev.atelier.emulator.rules.FirestoreRules} applies {@code service cloud.firestore} to
 * document gets, list queries (proven for every possible result: rules are not filters) and writes.
 * The language itself is in {@code lang} (lexer, parser, syntax tree) and {@code eval} (values and
 * evaluation).
 */
package dev.atelier.emulator.rules;
