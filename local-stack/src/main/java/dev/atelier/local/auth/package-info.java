/** Talking to the Firebase Auth emulator: accounts, custom claims and ID tokens for local use. */
package dev.atelier.local.auth;
