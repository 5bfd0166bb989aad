/**
 * Configuration-side validation shared by every OLCUT-configurable class of Regula: the ranges themselves are
 * defined once in {@link dev.regula.nn.Ranges}; this package reports them as OLCUT property errors.
 */
@NullMarked
package dev.regula.config;

import org.jspecify.annotations.NullMarked;
