/**
 * The daily {@code reconcile} job ({@link dev.atelier.reconcile.ReconcileJob}): balances against
 * their ledger, the public mirror against the history items both ways, and the media of items
 * deleted more than 30 days ago, each in bounded pages from a saved cursor.
 */
package dev.atelier.reconcile;
