/**
 * Image augmentation (rotation, shifts, zoom, shear, flips, brightness) and input normalization (feature-wise,
 * sample-wise and ZCA whitening), as a Tribuo data source decorator and as kernels used by the trainer.
 */
@NullMarked
package dev.regula.augment;

import org.jspecify.annotations.NullMarked;
