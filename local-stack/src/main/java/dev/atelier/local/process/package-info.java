/**
 * Child processes of the local stack: started with pid files so a later start can reap what a
 * crashed run left behind, and stopped as whole process trees.
 */
package dev.atelier.local.process;
