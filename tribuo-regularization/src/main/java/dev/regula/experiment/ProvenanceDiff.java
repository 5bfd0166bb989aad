package dev.regula.experiment;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.NullConfiguredProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.regula.mlp.BackupAndRestore;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The differences between two provenances (typically two {@code ModelProvenance}s): configuration fields such as
 * {@code trainer.hiddenLayers[2].dropout}, and instance values that matter for reproducibility such as data
 * hashes, example counts, the train invocation count and the BLAS thread count.
 * <p>
 * Unlike {@code SkeletalConfiguredObjectProvenance.equals}, which ignores instance values, every value is
 * compared. Values that change on every run (training time, file modification and data source creation times)
 * are skipped unless {@link #of(ObjectProvenance, ObjectProvenance, boolean)} is asked to include them. A component
 * present on one side only (e.g. a kernel regularizer added to a layer) is one difference whose other side is
 * {@code null}, with the component summarised as {@code Regularizer(l1=0.0, l2=1.0E-4)}.
 */
public final class ProvenanceDiff {
    /** Keys skipped by default because they differ between otherwise identical runs. */
    public static final Set<String> VOLATILE_KEYS = Set.of("trained-at", "datasource-creation-time",
            "file-modified-time", "features-file-modified-time", "output-file-modified-time", "host-short-name",
            BackupAndRestore.FOLDER_FIELD); // where a crash-safe run kept its backup, which never changes the model

    private final List<Difference> differences;

    /**
     * One difference.
     * @param path dotted path of the value, with list indices in brackets, e.g. {@code trainer.hiddenLayers[2].dropout}.
     * @param oldValue the value in the first provenance, or null if absent there.
     * @param newValue the value in the second provenance, or null if absent there.
     */
    public record Difference(String path, @Nullable String oldValue, @Nullable String newValue) {
        @Override
        public String toString() {
            return path + ": " + show(oldValue) + " -> " + show(newValue);
        }
    }

    private ProvenanceDiff(List<Difference> differences) {
        this.differences = Collections.unmodifiableList(differences);
    }

    /**
     * Compares two provenances, skipping {@link #VOLATILE_KEYS}.
     * @param oldProvenance the first (reference) provenance.
     * @param newProvenance the second provenance.
     * @return the differences, in the order the fields appear.
     */
    public static ProvenanceDiff of(ObjectProvenance oldProvenance, ObjectProvenance newProvenance) {
        return of(oldProvenance, newProvenance, false);
    }

    /**
     * Compares two provenances.
     * @param oldProvenance the first (reference) provenance.
     * @param newProvenance the second provenance.
     * @param includeVolatile true to also compare {@link #VOLATILE_KEYS} (times and the host name), which differ between runs.
     * @return the differences, in the order the fields appear.
     */
    public static ProvenanceDiff of(ObjectProvenance oldProvenance, ObjectProvenance newProvenance, boolean includeVolatile) {
        List<Difference> out = new ArrayList<>();
        compare("", tree(oldProvenance, includeVolatile), tree(newProvenance, includeVolatile), out);
        return new ProvenanceDiff(out);
    }

    /** @return the differences (unmodifiable). */
    public List<Difference> getDifferences() {
        return differences;
    }

    /** @return the paths of the differences, in order. */
    public List<String> getPaths() {
        List<String> paths = new ArrayList<>(differences.size());
        for (Difference d : differences) {
            paths.add(d.path());
        }
        return paths;
    }

    /** @return true if the provenances do not differ (apart from skipped keys). */
    public boolean isEmpty() {
        return differences.isEmpty();
    }

    /** @return one line per difference, {@code path: old -> new}, or {@code no differences}. */
    @Override
    public String toString() {
        if (differences.isEmpty()) {
            return "no differences";
        }
        StringBuilder sb = new StringBuilder();
        for (Difference d : differences) {
            sb.append(d).append('\n');
        }
        return sb.toString();
    }

    /**
     * Formats the differences as a Markdown table with the columns {@code field}, {@code old}, {@code new}.
     * @return the table, or {@code _no differences_}.
     */
    public String toMarkdown() {
        return toMarkdown("old", "new");
    }

    /**
     * Formats the differences as a Markdown table.
     * @param oldName header of the first provenance's column.
     * @param newName header of the second provenance's column.
     * @return the table, or {@code _no differences_}.
     */
    public String toMarkdown(String oldName, String newName) {
        if (differences.isEmpty()) {
            return "_no differences_\n";
        }
        StringBuilder sb = new StringBuilder("| field | " + mdCell(oldName) + " | " + mdCell(newName) + " |\n|---|---|---|\n");
        for (Difference d : differences) {
            sb.append("| `").append(d.path()).append("` | ").append(mdCell(show(d.oldValue()))).append(" | ")
                    .append(mdCell(show(d.newValue()))).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Formats the differences as an HTML table (escaped) with the columns field, old and new.
     * @return the table, or a paragraph saying there are no differences.
     */
    public String toHtml() {
        return toHtml("old", "new");
    }

    /**
     * Formats the differences as an HTML table (escaped).
     * @param oldName header of the first provenance's column.
     * @param newName header of the second provenance's column.
     * @return the table, or a paragraph saying there are no differences.
     */
    public String toHtml(String oldName, String newName) {
        if (differences.isEmpty()) {
            return "<p><em>no differences</em></p>\n";
        }
        StringBuilder sb = new StringBuilder("<table class=\"diff\">\n<tr><th>field</th><th>" + html(oldName)
                + "</th><th>" + html(newName) + "</th></tr>\n");
        for (Difference d : differences) {
            sb.append("<tr><td><code>").append(html(d.path())).append("</code></td><td>")
                    .append(html(show(d.oldValue()))).append("</td><td>").append(html(show(d.newValue())))
                    .append("</td></tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /**
     * Escapes text for HTML element content and attribute values.
     * @param text the text.
     * @return the escaped text.
     */
    public static String html(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String mdCell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String show(@Nullable String value) {
        return value == null ? "(absent)" : value;
    }

    // ---- flattening into a tree of String (leaf), LinkedHashMap (object or map) and List (list) ----

    private static @Nullable Object tree(Provenance p, boolean includeVolatile) {
        if (p instanceof NullConfiguredProvenance) {
            return null; // an unset configurable field, e.g. no kernel regularizer
        } else if (p instanceof ObjectProvenance op) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Pair<String, Provenance> e : op) {
                if (includeVolatile || !VOLATILE_KEYS.contains(e.getA())) {
                    m.put(e.getA(), tree(e.getB(), includeVolatile));
                }
            }
            return m;
        } else if (p instanceof MapProvenance<?> mp) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Pair<String, ? extends Provenance> e : mp) {
                if (includeVolatile || !VOLATILE_KEYS.contains(e.getA())) {
                    m.put(e.getA(), tree(e.getB(), includeVolatile));
                }
            }
            return m;
        } else if (p instanceof ListProvenance<?> lp) {
            List<Object> l = new ArrayList<>();
            for (Provenance item : lp) {
                l.add(tree(item, includeVolatile));
            }
            return l;
        } else if (p instanceof PrimitiveProvenance<?> pp) {
            Object v = pp.getValue();
            return v == null ? "null" : v.toString();
        } else {
            return String.valueOf(p);
        }
    }

    @SuppressWarnings("unchecked")
    private static void compare(String path, @Nullable Object a, @Nullable Object b, List<Difference> out) {
        if (a instanceof Map && b instanceof Map) {
            Map<String, Object> ma = (Map<String, Object>) a;
            Map<String, Object> mb = (Map<String, Object>) b;
            Set<String> keys = new LinkedHashSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (String k : keys) {
                compare(path.isEmpty() ? k : path + "." + k, ma.get(k), mb.get(k), out);
            }
        } else if (a instanceof List && b instanceof List) {
            List<Object> la = (List<Object>) a;
            List<Object> lb = (List<Object>) b;
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                compare(path + "[" + i + "]", i < la.size() ? la.get(i) : null, i < lb.size() ? lb.get(i) : null, out);
            }
        } else if (a instanceof String && b instanceof String) {
            if (!a.equals(b)) {
                out.add(new Difference(path, (String) a, (String) b));
            }
        } else if (a != null || b != null) {
            String sa = a == null ? null : summary(a);
            String sb = b == null ? null : summary(b);
            if (sa == null || !sa.equals(sb)) {
                out.add(new Difference(path, sa, sb));
            }
        }
    }

    /** A one-line summary of a subtree: {@code SimpleName(key=value, ...)} for objects, {@code [a, b]} for lists. */
    @SuppressWarnings("unchecked")
    static String summary(@Nullable Object node) {
        if (node == null) {
            return "null";
        }
        if (node instanceof String s) {
            return s;
        } else if (node instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(summary(o));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        Map<String, Object> m = (Map<String, Object>) node;
        Object cls = m.get("class-name");
        String name = cls instanceof String s ? s.substring(s.lastIndexOf('.') + 1) : "";
        List<String> parts = new ArrayList<>();
        for (String k : new TreeSet<>(m.keySet())) {
            if (!k.equals("class-name") && !k.equals("host-short-name")) {
                parts.add(k + "=" + summary(m.get(k)));
            }
        }
        return name + "(" + String.join(", ", parts) + ")";
    }
}
