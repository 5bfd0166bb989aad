/**
 * Image data for Tribuo: a data source for an index CSV plus a folder of images, helpers for IDX data,
 * image geometry and prediction output.
 */
@NullMarked
package dev.regula.data;

import org.jspecify.annotations.NullMarked;
