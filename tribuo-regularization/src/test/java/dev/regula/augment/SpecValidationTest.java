package dev.regula.augment;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecValidationTest {

    private static void rejects(String field, String range, Executable build) {
        PropertyException e = assertThrows(PropertyException.class, build);
        assertEquals(field, e.getProperty());
        assertTrue(e.getMessage().contains(range), "message '" + e.getMessage() + "' should state " + range);
    }

    @Test
    void augmentationRanges() {
        rejects("rotationRange", "[0, 360]", () -> Augmentation.builder().rotationRange(-1).build());
        rejects("widthShiftRange", ">= 0", () -> Augmentation.builder().widthShiftRange(-0.1).build());
        rejects("heightShiftRange", ">= 0", () -> Augmentation.builder().heightShiftRange(Double.NaN).build());
        rejects("shearRange", "[0, 90)", () -> Augmentation.builder().shearRange(90).build());
        rejects("zoomRangeLow", "> 0", () -> Augmentation.builder().zoomRange(0, 1.2).build());
        rejects("zoomRangeLow", "> 0", () -> Augmentation.builder().zoomRange(1.0).build());
        rejects("zoomRangeHigh", ">= zoomRangeLow", () -> Augmentation.builder().zoomRange(1.2, 1.1).build());
        rejects("brightnessLow", ">= 0", () -> Augmentation.builder().brightnessRange(-0.5, 1).build());
        rejects("brightnessHigh", ">= brightnessLow", () -> Augmentation.builder().brightnessRange(1.2, 0.8).build());
        rejects("fillMode", "CONSTANT", () -> Augmentation.builder().fillMode(null).build());
        rejects("cval", "finite", () -> Augmentation.builder().cval(Double.POSITIVE_INFINITY).build());
    }

    @Test
    void identityFlags() {
        assertTrue(Augmentation.none().isIdentity());
        assertTrue(Augmentation.builder().zoomRange(0).build().isIdentity());
        assertFalse(Augmentation.builder().horizontalFlip(true).build().isIdentity());
        assertFalse(Augmentation.builder().brightnessRange(0.9, 1.1).build().isIdentity());
        assertTrue(Standardization.builder().build().isIdentity());
        assertFalse(Standardization.builder().zcaWhitening(true).build().isIdentity());
    }

    @Test
    void standardizationRangesAndImplications() {
        rejects("zcaEpsilon", "> 0", () -> Standardization.builder().zcaEpsilon(0).build());
        Standardization s = Standardization.builder().zcaWhitening(true).featurewiseStdNormalization(true)
                .samplewiseStdNormalization(true).build();
        assertTrue(s.effectiveFeaturewiseCenter());
        assertFalse(s.effectiveFeaturewiseStd(), "ZCA disables feature-wise std normalization as in Keras");
        assertTrue(s.effectiveSamplewiseCenter());
    }

    @Test
    void provenanceNamesTheSpec() {
        Augmentation a = Augmentation.builder().rotationRange(10).build();
        assertEquals(Augmentation.class.getName(), a.getProvenance().getClassName());
        assertTrue(a.getProvenance().getConfiguredParameters().containsKey("rotationRange"));
    }
}
