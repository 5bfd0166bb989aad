package dev.regula.data;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.apache.commons.imaging.ImageFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A builder configures the one data source it returns and is spent by {@code build()}. */
class ImageFolderDataSourceBuilderTest {
    @TempDir
    Path dir;

    /** A flat layout: the index and two 3x2 gray PNGs in one folder. */
    private Path index() throws IOException {
        for (String name : new String[]{"a.png", "b.png"}) {
            TestImages.write(dir.resolve(name), TestImages.gray(3, 2), ImageFormats.PNG);
        }
        Path index = dir.resolve("index.csv");
        Files.writeString(index, "filename,label\na.png,x\nb.png,y\n");
        return index;
    }

    private static void assertSpent(IllegalStateException e) {
        assertTrue(e.getMessage().contains("already been built"), e.getMessage());
    }

    @Test
    void aBuilderBuildsOnce() throws IOException {
        ImageFolderDataSource.Builder builder = ImageFolderDataSource.builder(index()).scale(1.0);
        ImageFolderDataSource first = builder.build();
        assertEquals(2, first.size());
        assertSpent(assertThrows(IllegalStateException.class, builder::build));
        assertSpent(assertThrows(IllegalStateException.class, () -> builder.scale(2.0)));
        assertSpent(assertThrows(IllegalStateException.class, () -> builder.imageDirectory(dir)));
        // The built source is not affected by the refused calls.
        ImageGeometry g = first.getGeometry();
        assertEquals(TestImages.grayValue(2, 1), IdxFiles.densify(first.iterator().next(), g)[g.index(2, 1, 0)], 0.0);
    }

    @Test
    void aFailedBuildSpendsTheBuilderToo() throws IOException {
        ImageFolderDataSource.Builder builder = ImageFolderDataSource.builder(index()).scale(0);
        assertEquals("scale", assertThrows(PropertyException.class, builder::build).getProperty());
        assertSpent(assertThrows(IllegalStateException.class, () -> builder.scale(1.0)));
        assertSpent(assertThrows(IllegalStateException.class, builder::build));
    }

    @Test
    void eachBuilderMakesItsOwnSource() throws IOException {
        Path index = index();
        ImageFolderDataSource a = ImageFolderDataSource.builder(index).build();
        ImageFolderDataSource b = ImageFolderDataSource.builder(index).scale(1.0).build();
        assertNotSame(a, b);
        double[] va = IdxFiles.densify(a.iterator().next(), a.getGeometry());
        double[] vb = IdxFiles.densify(b.iterator().next(), b.getGeometry());
        assertEquals(vb[1] / 255.0, va[1], 1e-12);
    }
}
