/**
 * Numerical kernels of Regula: flat float32 arrays, BLAS matrix products (native OpenBLAS or pure Java),
 * the feed-forward network's forward and backward passes, the optimiser updates and the symmetric
 * eigendecomposition behind ZCA whitening. Nothing here depends on Tribuo.
 */
@NullMarked
package dev.regula.nn;

import org.jspecify.annotations.NullMarked;
