package dev.regula.data;

import java.nio.file.Path;

/**
 * The folder layout of the reference study ("Identify the Digits"), relative to a dataset root:
 * <pre>
 * root/
 *   Train/train.csv            filename,label
 *   Train/Images/train/*.png   training images
 *   Test.csv                   filename
 *   Train/Images/test/*.png    test images
 * </pre>
 */
public final class ReferenceLayout {
    /** Index of the training images, relative to the root. */
    public static final String TRAIN_INDEX = "Train/train.csv";
    /** Folder of the training images, relative to the root. */
    public static final String TRAIN_IMAGES = "Train/Images/train";
    /** Index of the test images, relative to the root. */
    public static final String TEST_INDEX = "Test.csv";
    /** Folder of the test images, relative to the root. */
    public static final String TEST_IMAGES = "Train/Images/test";

    private ReferenceLayout() {}

    /**
     * @param root the dataset root.
     * @return {@code root/Train/train.csv}.
     */
    public static Path trainIndex(Path root) {
        return root.resolve(TRAIN_INDEX);
    }

    /**
     * @param root the dataset root.
     * @return {@code root/Train/Images/train}.
     */
    public static Path trainImages(Path root) {
        return root.resolve(TRAIN_IMAGES);
    }

    /**
     * @param root the dataset root.
     * @return {@code root/Test.csv}.
     */
    public static Path testIndex(Path root) {
        return root.resolve(TEST_INDEX);
    }

    /**
     * @param root the dataset root.
     * @return {@code root/Train/Images/test}.
     */
    public static Path testImages(Path root) {
        return root.resolve(TEST_IMAGES);
    }
}
