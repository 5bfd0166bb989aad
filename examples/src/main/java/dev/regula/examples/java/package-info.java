/**
 * Plain Java examples of Regula used inside Tribuo.
 */
@NullMarked
package dev.regula.examples.java;

import org.jspecify.annotations.NullMarked;
