package dev.regula.experiment;

import dev.regula.data.ImageGeometry;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPTrainer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyTest {

    @Test
    void variantsDifferFromTheBaselineOnlyInTheirTechnique() {
        StudySettings s = StudySettings.builder().build();
        MLPTrainer baseline = Study.trainer(StudyVariant.BASELINE, s);
        assertEquals(5, baseline.getHiddenLayers().size());
        assertEquals(500, baseline.getHiddenLayers().get(0).getUnits());
        assertEquals(10, baseline.getEpochs());
        assertEquals(128, baseline.getMinibatchSize());
        assertEquals(42, baseline.getSeed());
        assertEquals(0.3, baseline.getValidationFraction());
        assertEquals(ImageGeometry.of(28, 28, 1), baseline.getImageGeometry(), "every variant records the geometry");

        for (Layer l : Study.trainer(StudyVariant.L2, s).getHiddenLayers()) {
            assertEquals(1e-4, l.getKernelRegularizer().getL2());
        }
        assertEquals(5, ProvenanceDiff.of(baseline.getProvenance(), Study.trainer(StudyVariant.L1, s).getProvenance()).getPaths().size());
        assertEquals(List.of("hiddenLayers[0].dropout", "hiddenLayers[1].dropout", "hiddenLayers[2].dropout",
                "hiddenLayers[3].dropout", "hiddenLayers[4].dropout"),
                ProvenanceDiff.of(baseline.getProvenance(), Study.trainer(StudyVariant.DROPOUT, s).getProvenance()).getPaths());
        MLPTrainer aug = Study.trainer(StudyVariant.AUGMENTED_ZCA, s);
        assertNotNull(aug.getAugmentation());
        assertEquals(List.of("augmentation", "hiddenLayers[0].dropout", "hiddenLayers[1].dropout", "hiddenLayers[2].dropout",
                "hiddenLayers[3].dropout", "hiddenLayers[4].dropout", "standardization"),
                ProvenanceDiff.of(baseline.getProvenance(), aug.getProvenance()).getPaths().stream().sorted().toList());
        assertTrue(aug.getStandardization().getZcaWhitening());
        assertEquals(0.1, aug.getStandardization().getZcaEpsilon());
        assertEquals(0.01, Study.trainer(StudyVariant.AUGMENTED_ZCA, StudySettings.builder().zcaEpsilon(0.01).build())
                .getStandardization().getZcaEpsilon());
        // Each technique alone: augmentation only; ZCA + dropout without augmentation
        MLPTrainer augmented = Study.trainer(StudyVariant.AUGMENTED, s);
        assertEquals(List.of("augmentation"), ProvenanceDiff.of(baseline.getProvenance(), augmented.getProvenance()).getPaths());
        assertEquals(aug.getAugmentation().toString(), augmented.getAugmentation().toString(), "the same augmentation as augmented_zca");
        assertFalse(augmented.getAugmentation().getHorizontalFlip());
        assertTrue(Study.trainer(StudyVariant.AUGMENTED, StudySettings.builder().horizontalFlip(true).build())
                .getAugmentation().getHorizontalFlip());
        MLPTrainer zcaDropout = Study.trainer(StudyVariant.ZCA_DROPOUT, s);
        assertNull(zcaDropout.getAugmentation());
        assertEquals(List.of("hiddenLayers[0].dropout", "hiddenLayers[1].dropout", "hiddenLayers[2].dropout",
                "hiddenLayers[3].dropout", "hiddenLayers[4].dropout", "standardization"),
                ProvenanceDiff.of(baseline.getProvenance(), zcaDropout.getProvenance()).getPaths().stream().sorted().toList());
        assertEquals(aug.getStandardization().toString(), zcaDropout.getStandardization().toString());
        MLPTrainer es = Study.trainer(StudyVariant.EARLY_STOPPING, s);
        assertEquals(2, es.getEarlyStopping().getPatience());
        assertTrue(es.getEarlyStopping().isRestoreBestWeights());
        assertEquals(List.of("earlyStopping"), ProvenanceDiff.of(baseline.getProvenance(), es.getProvenance()).getPaths());
        assertNull(baseline.getEarlyStopping());
    }

    @Test
    void namesAndValidation() {
        assertEquals(StudyVariant.AUGMENTED_ZCA, StudyVariant.fromName("Augmented-ZCA"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyVariant.fromName("l3"));
        assertEquals("unknown variant 'l3'; valid variants: baseline, l2, l1, dropout, augmented, zca_dropout, "
                + "augmented_zca, early_stopping", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StudySettings.builder().hiddenUnits(List.of()).build());
        assertThrows(IllegalArgumentException.class, () -> StudySettings.builder().dropout(1).build());
        assertEquals("threads must be in [0, 1024] (0 = every processor), found 1025", assertThrows(
                IllegalArgumentException.class, () -> StudySettings.builder().threads(1025).build()).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Study.trainer(StudyVariant.AUGMENTED_ZCA, StudySettings.builder().geometry(null).build()));
        assertEquals("variant augmented needs images, but the data has no image geometry", assertThrows(
                IllegalArgumentException.class, () -> Study.trainer(StudyVariant.AUGMENTED,
                        StudySettings.builder().geometry(null).build())).getMessage());
        assertEquals(3, Study.referenceTrainer(StudyVariant.BASELINE, 3, 1).getEpochs());
    }
}
