/**
 * A scripted client session against a running local stack: each step prints what it does and what
 * it got, and the run fails (exit 1) at the first result that is not right.
 */
package dev.atelier.local.demo;
