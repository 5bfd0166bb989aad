package dev.regula.mlp;

import org.tribuo.ImmutableFeatureMap;
import org.tribuo.VariableIDInfo;
import org.tribuo.VariableInfo;

import java.util.HashMap;
import java.util.Map;

/**
 * Feature name → column id by hashing. Tribuo's {@link ImmutableFeatureMap#getID(String)} looks names up in a
 * sorted tree (about ten string comparisons per name for 784 pixel features), which made converting examples as
 * slow as running the network on them ({@code docs/performance.md}). Immutable.
 */
final class FeatureIndex {
    private final Map<String, Integer> ids;

    private FeatureIndex(Map<String, Integer> ids) {
        this.ids = ids;
    }

    /**
     * Indexes a feature map.
     * @param fmap the feature map.
     * @return the index, with the same ids as {@code fmap}.
     */
    static FeatureIndex of(ImmutableFeatureMap fmap) {
        Map<String, Integer> ids = new HashMap<>(2 * fmap.size());
        for (VariableInfo info : fmap) {
            ids.put(info.getName(), ((VariableIDInfo) info).getID());
        }
        return new FeatureIndex(ids);
    }

    /**
     * The id of a feature.
     * @param name the feature name.
     * @return its id, or −1 if the feature is unknown.
     */
    int id(String name) {
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    /** @return the number of features. */
    int size() {
        return ids.size();
    }
}
