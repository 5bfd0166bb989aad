package dev.regula.data;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.jspecify.annotations.Nullable;
import org.tribuo.provenance.ConfiguredDataSourceProvenance;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Provenance of an {@link ImageFolderDataSource}: its configuration plus the SHA-256 of the index CSV, a
 * SHA-256 over the images (the hash of the concatenated SHA-256 digests of each image file, in index order),
 * the image geometry, the number of examples, the index file's modification time and the creation time.
 * <p>
 * Two provenances are equal when their configuration, hashes, geometry and example count are: the two times are
 * recorded but, like Tribuo's other data sources and {@code ProvenanceDiff}'s volatile keys, ignored by
 * {@link #equals(Object)}, so that a source read again from unchanged files equals the one a model recorded.
 * <p>
 * Not final only for {@link ImageFolderDataSource.ImageFolderDataSourceProvenance}, the former nested name of this
 * class, which provenance written by earlier builds still names.
 */
public class ImageFolderDataSourceProvenance extends SkeletalConfiguredObjectProvenance
        implements ConfiguredDataSourceProvenance {
    /** Unchanged from the nested class of earlier builds. */
    private static final long serialVersionUID = 1L;

    /** Key of the SHA-256 of the index CSV. */
    public static final String INDEX_HASH = "index-resource-hash";
    /** Key of the SHA-256 over the image files. */
    public static final String IMAGES_HASH = "images-resource-hash";
    /** Key of the image geometry, {@code WIDTHxHEIGHTxCHANNELS}. */
    public static final String GEOMETRY = "image-geometry";
    /** Key of the number of examples. */
    public static final String EXAMPLE_COUNT = "example-count";

    /** When the data source was read. */
    private final DateTimeProvenance creationTime;
    /** The index CSV's modification time. */
    private final DateTimeProvenance indexModifiedTime;
    /** The SHA-256 of the index CSV. */
    private final HashProvenance indexHash;
    /** The SHA-256 over the image files. */
    private final HashProvenance imagesHash;
    /** The image geometry, {@code WIDTHxHEIGHTxCHANNELS}. */
    private final StringProvenance geometry;
    /** The number of examples. */
    private final IntProvenance exampleCount;

    /**
     * Records a data source that has read its data.
     * @param host the data source.
     */
    ImageFolderDataSourceProvenance(ImageFolderDataSource host) {
        super(host, "DataSource");
        this.creationTime = new DateTimeProvenance(DATASOURCE_CREATION_TIME, host.creationTime());
        this.indexModifiedTime = new DateTimeProvenance(FILE_MODIFIED_TIME, host.indexModifiedTime());
        // Upper-case hex, as ProvenanceUtil.hashResource gives: the provenance of saved models holds these values,
        // and a model's provenance is compared with a data source's, so they must not change.
        this.indexHash = new HashProvenance(ProvenanceUtil.HashType.SHA256, INDEX_HASH,
                host.indexDigest().toUpperCase(Locale.ROOT));
        this.imagesHash = new HashProvenance(ProvenanceUtil.HashType.SHA256, IMAGES_HASH,
                host.imagesDigest().toUpperCase(Locale.ROOT));
        this.geometry = new StringProvenance(GEOMETRY, host.getGeometry().toString());
        this.exampleCount = new IntProvenance(EXAMPLE_COUNT, host.size());
    }

    /**
     * Deserialisation constructor, used by OLCUT to unmarshal the provenance.
     * @param map the provenance fields.
     */
    public ImageFolderDataSourceProvenance(Map<String, Provenance> map) {
        this(extractProvenanceInfo(map));
    }

    /**
     * Builds the provenance from its parts.
     * @param info the class name, host type, configuration and the instance values this class records.
     */
    private ImageFolderDataSourceProvenance(ExtractedInfo info) {
        super(info);
        this.creationTime = (DateTimeProvenance) info.instanceValues.get(DATASOURCE_CREATION_TIME);
        this.indexModifiedTime = (DateTimeProvenance) info.instanceValues.get(FILE_MODIFIED_TIME);
        this.indexHash = (HashProvenance) info.instanceValues.get(INDEX_HASH);
        this.imagesHash = (HashProvenance) info.instanceValues.get(IMAGES_HASH);
        this.geometry = (StringProvenance) info.instanceValues.get(GEOMETRY);
        this.exampleCount = (IntProvenance) info.instanceValues.get(EXAMPLE_COUNT);
    }

    /**
     * Separates a marshalled provenance map into its parts.
     * @param map the provenance fields.
     * @return the class name, host type, configuration and instance values.
     */
    private static ExtractedInfo extractProvenanceInfo(Map<String, Provenance> map) {
        String name = ImageFolderDataSourceProvenance.class.getSimpleName();
        Map<String, Provenance> configured = new HashMap<>(map);
        String className = ObjectProvenance.checkAndExtractProvenance(configured, CLASS_NAME, StringProvenance.class, name).getValue();
        String hostShortName = ObjectProvenance.checkAndExtractProvenance(configured, HOST_SHORT_NAME, StringProvenance.class, name).getValue();
        Map<String, PrimitiveProvenance<?>> instance = new HashMap<>();
        instance.put(DATASOURCE_CREATION_TIME, ObjectProvenance.checkAndExtractProvenance(configured, DATASOURCE_CREATION_TIME, DateTimeProvenance.class, name));
        instance.put(FILE_MODIFIED_TIME, ObjectProvenance.checkAndExtractProvenance(configured, FILE_MODIFIED_TIME, DateTimeProvenance.class, name));
        instance.put(INDEX_HASH, ObjectProvenance.checkAndExtractProvenance(configured, INDEX_HASH, HashProvenance.class, name));
        instance.put(IMAGES_HASH, ObjectProvenance.checkAndExtractProvenance(configured, IMAGES_HASH, HashProvenance.class, name));
        instance.put(GEOMETRY, ObjectProvenance.checkAndExtractProvenance(configured, GEOMETRY, StringProvenance.class, name));
        instance.put(EXAMPLE_COUNT, ObjectProvenance.checkAndExtractProvenance(configured, EXAMPLE_COUNT, IntProvenance.class, name));
        return new ExtractedInfo(className, hostShortName, configured, instance);
    }

    /**
     * The instance values of a Java stream written by a build in which this class was
     * {@code ImageFolderDataSource$ImageFolderDataSourceProvenance} and declared them itself.
     * @param fields the fields the stream holds for that class.
     * @return the values by provenance key, or null if the stream holds none (it was written by this build, which
     *         stores them for this class).
     * @throws InvalidObjectException if the stream holds only some of them.
     */
    static @Nullable Map<String, PrimitiveProvenance<?>> legacyInstanceValues(ObjectInputStream.GetField fields)
            throws IOException {
        if (fields.getObjectStreamClass().getField("indexHash") == null) {
            return null;
        }
        Map<String, PrimitiveProvenance<?>> values = new HashMap<>();
        for (String field : List.of("creationTime", "indexModifiedTime", "indexHash", "imagesHash", "geometry", "exampleCount")) {
            PrimitiveProvenance<?> value = (PrimitiveProvenance<?>) fields.get(field, null);
            if (value == null) {
                throw new InvalidObjectException("ImageFolderDataSourceProvenance without " + field);
            }
            values.put(value.getKey(), value);
        }
        return values;
    }

    /**
     * @param instanceValues the values this class records, by provenance key.
     * @return a provenance of this class with this one's class name, host type and configuration and those values.
     */
    final ImageFolderDataSourceProvenance withInstanceValues(Map<String, PrimitiveProvenance<?>> instanceValues) {
        return new ImageFolderDataSourceProvenance(new ExtractedInfo(className, hostShortName, configuredParameters, instanceValues));
    }

    /** @return the SHA-256 of the index CSV, upper-case hex. */
    public String getIndexHash() {
        return indexHash.getValue();
    }

    /** @return the SHA-256 over the image files, upper-case hex. */
    public String getImagesHash() {
        return imagesHash.getValue();
    }

    /** @return the image geometry recorded when the source was read. */
    public ImageGeometry getGeometry() {
        return ImageGeometry.parse(geometry.getValue());
    }

    @Override
    public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
        Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
        map.put(creationTime.getKey(), creationTime);
        map.put(indexModifiedTime.getKey(), indexModifiedTime);
        map.put(indexHash.getKey(), indexHash);
        map.put(imagesHash.getKey(), imagesHash);
        map.put(geometry.getKey(), geometry);
        map.put(exampleCount.getKey(), exampleCount);
        return map;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ImageFolderDataSourceProvenance) || !super.equals(o)) {
            return false;
        }
        ImageFolderDataSourceProvenance that = (ImageFolderDataSourceProvenance) o;
        return indexHash.equals(that.indexHash) && imagesHash.equals(that.imagesHash)
                && geometry.equals(that.geometry) && exampleCount.equals(that.exampleCount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), indexHash, imagesHash, geometry, exampleCount);
    }
}
