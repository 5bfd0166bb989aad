package dev.regula.data;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.FileProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.provenance.DatasetProvenance;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provenance written before {@link ImageFolderDataSourceProvenance} became a top-level class names
 * {@code ImageFolderDataSource$ImageFolderDataSourceProvenance}; it must still load. The two fixtures were written
 * by that earlier build from one source over {@link #writeFixtureFolder(Path)}'s folder (in
 * {@code /tmp/regula-image-folder-v0}): {@code image-folder-provenance-v0.json} is its OLCUT-marshalled form (what
 * Tribuo's protobuf model files hold, as JSON) and {@code image-folder-provenance-v0.ser} its Java serialization.
 */
class ImageFolderProvenanceCompatibilityTest {
    /** The provenance class name earlier builds recorded. */
    static final String OLD_CLASS_NAME = "dev.regula.data.ImageFolderDataSource$ImageFolderDataSourceProvenance";
    private static final String INDEX_HASH = "FA0B22C211B6F532AE2F07A3DF5A684AD12B3C04675C5035A62D95578791AF8B";
    private static final String IMAGES_HASH = "22F842B7DFD2BA352AAC6045CF41A61A1576D2B6642EB7C2243972390C1D8FA6";

    /** The folder the fixtures were made from: two 3x2 gray PNGs and a labelled index. */
    private static Path writeFixtureFolder(Path dir) throws IOException {
        Path images = TestImages.grayFolder(dir, 3, 2, "a.png", "b.png");
        Files.writeString(dir.resolve("index.csv"), "filename,label\na.png,cat\nb.png,dog\n");
        return images;
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ImageFolderProvenanceCompatibilityTest.class.getResource(name)).toURI());
    }

    /** The marshalled form with every provenance class name {@code from} replaced by {@code to}. */
    private static List<ObjectMarshalledProvenance> renamed(List<ObjectMarshalledProvenance> marshalled, String from, String to) {
        List<ObjectMarshalledProvenance> out = new ArrayList<>();
        for (ObjectMarshalledProvenance m : marshalled) {
            String provenanceClass = m.getProvenanceClassName().equals(from) ? to : m.getProvenanceClassName();
            out.add(new ObjectMarshalledProvenance(m.getName(), m.getMap(), m.getObjectClassName(), provenanceClass));
        }
        return out;
    }

    @Test
    void oldClassNameInTheMarshalledFormStillUnmarshals(@TempDir Path dir) throws IOException {
        Path images = writeFixtureFolder(dir);
        ImageFolderDataSource src = ImageFolderDataSource.builder(dir.resolve("index.csv")).imageDirectory(images).build();
        ImageFolderDataSourceProvenance prov = (ImageFolderDataSourceProvenance) src.getProvenance();
        assertSame(ImageFolderDataSourceProvenance.class, prov.getClass(), "new provenance uses the top-level class");

        List<ObjectMarshalledProvenance> marshalled = ProvenanceUtil.marshalProvenance(prov);
        assertEquals(ImageFolderDataSourceProvenance.class.getName(), marshalled.get(0).getProvenanceClassName());
        List<ObjectMarshalledProvenance> old = renamed(marshalled, ImageFolderDataSourceProvenance.class.getName(), OLD_CLASS_NAME);
        assertEquals(OLD_CLASS_NAME, old.get(0).getProvenanceClassName());
        ObjectProvenance back = ProvenanceUtil.unmarshalProvenance(old);
        ImageFolderDataSourceProvenance loaded = assertInstanceOf(ImageFolderDataSourceProvenance.class, back);
        assertEquals(prov, loaded);
        assertEquals(prov.getInstanceValues(), loaded.getInstanceValues());
        assertEquals(prov.getConfiguredParameters(), loaded.getConfiguredParameters());

        // Nested in a dataset's provenance, as in a model's.
        DatasetProvenance datasetProv = new MutableDataset<Label>(src).getProvenance();
        ObjectProvenance datasetBack = ProvenanceUtil.unmarshalProvenance(
                renamed(ProvenanceUtil.marshalProvenance(datasetProv), ImageFolderDataSourceProvenance.class.getName(), OLD_CLASS_NAME));
        assertEquals(datasetProv, datasetBack);
        assertEquals(prov, ((DatasetProvenance) datasetBack).getSourceProvenance());
    }

    @Test
    void marshalledProvenanceOfAnEarlierBuildLoads(@TempDir Path dir) throws Exception {
        String json = Files.readString(fixture("image-folder-provenance-v0.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"provenance-class\" : \"" + OLD_CLASS_NAME + "\""), "the fixture names the old class");
        ObjectProvenance back = new JsonProvenanceSerialization(true).deserializeAndUnmarshal(json);
        ImageFolderDataSourceProvenance old = assertInstanceOf(ImageFolderDataSourceProvenance.class, back);
        assertEquals(INDEX_HASH, old.getIndexHash());
        assertEquals(IMAGES_HASH, old.getImagesHash());
        assertEquals(ImageGeometry.of(3, 2, 1), old.getGeometry());
        assertEquals("2", old.getInstanceValues().get(ImageFolderDataSourceProvenance.EXAMPLE_COUNT).getValue().toString());
        Provenance indexFile = old.getConfiguredParameters().get("indexFile");
        assertEquals(new File("/tmp/regula-image-folder-v0/index.csv"), assertInstanceOf(FileProvenance.class, indexFile).getValue());

        // The same folder read now records the same keys and the same (upper-case) hashes.
        Path images = writeFixtureFolder(dir);
        ImageFolderDataSourceProvenance now = (ImageFolderDataSourceProvenance) ImageFolderDataSource
                .builder(dir.resolve("index.csv")).imageDirectory(images).scale(1.0).build().getProvenance();
        assertEquals(old.getInstanceValues().keySet(), now.getInstanceValues().keySet());
        assertEquals(old.getConfiguredParameters().keySet(), now.getConfiguredParameters().keySet());
        assertEquals(INDEX_HASH, now.getIndexHash());
        assertEquals(IMAGES_HASH, now.getImagesHash());
        assertNotEquals(old, now, "paths and times differ");
    }

    @Test
    void javaSerializedProvenanceOfAnEarlierBuildLoads() throws Exception {
        Object read;
        try (InputStream in = Files.newInputStream(fixture("image-folder-provenance-v0.ser"));
             ObjectInputStream objects = new ObjectInputStream(in)) {
            read = objects.readObject();
        }
        assertSame(ImageFolderDataSourceProvenance.class, read.getClass(), "resolved to the top-level class");
        ImageFolderDataSourceProvenance prov = (ImageFolderDataSourceProvenance) read;
        assertEquals(INDEX_HASH, prov.getIndexHash());
        assertEquals(IMAGES_HASH, prov.getImagesHash());
        // Both fixtures were written from the same provenance object.
        String json = Files.readString(fixture("image-folder-provenance-v0.json"), StandardCharsets.UTF_8);
        ObjectProvenance fromJson = new JsonProvenanceSerialization(true).deserializeAndUnmarshal(json);
        assertEquals(fromJson, prov);
        assertEquals(((ImageFolderDataSourceProvenance) fromJson).getInstanceValues(), prov.getInstanceValues());
        assertEquals(fromJson.hashCode(), prov.hashCode());
        assertFalse(prov.toString().isEmpty());
        // And it marshals again, under the current name.
        assertEquals(ImageFolderDataSourceProvenance.class.getName(),
                ProvenanceUtil.marshalProvenance(prov).get(0).getProvenanceClassName());
    }
}
