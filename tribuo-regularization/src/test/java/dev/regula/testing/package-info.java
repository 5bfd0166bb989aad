/**
 * Helpers shared by the tests of several packages.
 */
package dev.regula.testing;
