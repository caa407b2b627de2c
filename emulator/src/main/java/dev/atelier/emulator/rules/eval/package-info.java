/**
 * Evaluation of rules expressions: the values ({@link dev.atelier.emulator.rules.eval.Val}), the
 * {@link dev.atelier.emulator.rules.eval.Evaluator} with Google's error semantics, the methods of
 * each type, the global functions and namespaces, and the per-request budgets and document lookups
 * of {@link dev.atelier.emulator.rules.eval.EvalContext}.
 */
package dev.atelier.emulator.rules.eval;
