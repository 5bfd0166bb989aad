package dev.regula.augment;

/**
 * The plain values an {@link ImageAugmenter} draws its random transforms from: the ranges of rotation, shifts,
 * shear, zoom and brightness, the flip switches and the border fill. Immutable, and free of any configuration
 * framework, so that the image kernel depends on nothing but these numbers.
 * <p>
 * {@link Augmentation#getTransformRanges()} builds one from a validated configuration; the meaning of every value,
 * its allowed range and the order in which the values are drawn are documented on {@link Augmentation}. The record
 * itself does not validate: augmenters are only created by {@link Augmentation#newAugmenter}, which validates.
 *
 * @param rotationRange maximum rotation in degrees; the angle is drawn from {@code U(-r, r)}, 0 disables it.
 * @param widthShiftRange horizontal shift range: a fraction of the width if below 1, else pixels; 0 disables it.
 * @param heightShiftRange vertical shift range: a fraction of the height if below 1, else pixels; 0 disables it.
 * @param shearRange maximum shear angle in degrees; 0 disables it.
 * @param zoomRangeLow lower bound of the zoom factor (inverse-map scale, above 1 zooms out).
 * @param zoomRangeHigh upper bound of the zoom factor; {@code [1, 1]} disables zoom.
 * @param horizontalFlip whether images are mirrored left-right with probability 1/2.
 * @param verticalFlip whether images are mirrored top-bottom with probability 1/2.
 * @param brightnessLow lower bound of the brightness factor.
 * @param brightnessHigh upper bound of the brightness factor; {@code [1, 1]} disables it.
 * @param fillMode how points outside the image are filled.
 * @param cval fill value for {@link FillMode#CONSTANT}.
 */
public record TransformRanges(double rotationRange, double widthShiftRange, double heightShiftRange,
                              double shearRange, double zoomRangeLow, double zoomRangeHigh,
                              boolean horizontalFlip, boolean verticalFlip,
                              double brightnessLow, double brightnessHigh, FillMode fillMode, double cval) {
}
