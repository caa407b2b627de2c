/**
 * The rules language's syntax: {@link dev.atelier.emulator.rules.lang.Lexer}, {@link
 * dev.atelier.emulator.rules.lang.Parser} (errors carry line and column), the expression tree
 * {@link dev.atelier.emulator.rules.lang.Expr} and the statements in {@link
 * dev.atelier.emulator.rules.lang.Declarations}, and the load-time checks of {@link
 * dev.atelier.emulator.rules.lang.Resolver}.
 */
package dev.atelier.emulator.rules.lang;
