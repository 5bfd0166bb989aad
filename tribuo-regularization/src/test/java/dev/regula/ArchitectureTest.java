package dev.regula;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The numerical kernels stay pure Java: nothing in {@code dev.regula.nn} and none of the image kernels may use
 * Tribuo or OLCUT, neither by an import nor by a fully-qualified name in code. Comments may mention them.
 */
class ArchitectureTest {
    /** A Tribuo or OLCUT package name, also when written with spaces around the dots. */
    private static final Pattern FORBIDDEN =
            Pattern.compile("\\b(?:org\\s*\\.\\s*tribuo|com\\s*\\.\\s*oracle\\s*\\.\\s*labs\\s*\\.\\s*mlrg\\s*\\.\\s*olcut)\\b");

    /** The image kernels outside {@code dev.regula.nn}, relative to the source root. */
    private static final List<String> IMAGE_KERNELS = List.of(
            "dev/regula/augment/ImageAugmenter.java",
            "dev/regula/augment/AffineParams.java",
            "dev/regula/augment/FillMode.java",
            "dev/regula/augment/TransformRanges.java",
            "dev/regula/data/ImageGeometry.java");

    /** The main source root: the module directory is surefire's working directory; an IDE may run from the root. */
    private static Path sourceRoot() {
        for (Path p : List.of(Path.of("src/main/java"), Path.of("tribuo-regularization/src/main/java"))) {
            if (Files.isDirectory(p.resolve("dev/regula/nn"))) {
                return p;
            }
        }
        throw new AssertionError("Cannot find src/main/java/dev/regula/nn from " + Path.of("").toAbsolutePath());
    }

    private static List<Path> kernelFiles() throws IOException {
        Path root = sourceRoot();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> nn = Files.walk(root.resolve("dev/regula/nn"))) {
            nn.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 10, "expected the nn kernels under " + root.resolve("dev/regula/nn") + ", found " + files);
        for (String k : IMAGE_KERNELS) {
            Path p = root.resolve(k);
            assertTrue(Files.isRegularFile(p), "image kernel " + p + " is missing; update ArchitectureTest if it moved");
            files.add(p);
        }
        return files;
    }

    @Test
    void kernelsUseNeitherTribuoNorOlcut() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : kernelFiles()) {
            for (String v : violations(Files.readString(file, StandardCharsets.UTF_8))) {
                violations.add(file + ":" + v);
            }
        }
        if (!violations.isEmpty()) {
            fail("Pure kernels must not use org.tribuo or com.oracle.labs.mlrg.olcut (move the glue out of the kernel):\n  "
                    + String.join("\n  ", violations));
        }
    }

    /** The scanner itself: it must see imports and qualified names, and must not see comments. */
    @Test
    void scannerFindsImportsAndQualifiedNamesButNotComments() {
        assertEquals(List.of("2: import org.tribuo.Example;"),
                violations("package x;\nimport org.tribuo.Example;\nclass A {}\n"));
        assertEquals(List.of("1: import static com.oracle.labs.mlrg.olcut.util.Pair.of;"),
                violations("import static com.oracle.labs.mlrg.olcut.util.Pair.of;\n"));
        assertEquals(List.of("3:     org.tribuo.Model<?> m = null; // keep"),
                violations("class A {\n    // org.tribuo.Model in a comment is fine\n    org.tribuo.Model<?> m = null; // keep\n}\n"));
        assertEquals(List.of("1: Object o = org . tribuo . Example.class;"),
                violations("Object o = org . tribuo . Example.class;"));
        assertEquals(List.of("1: Class<?> c = Class.forName(\"org.tribuo.Example\");"),
                violations("Class<?> c = Class.forName(\"org.tribuo.Example\");"));
        assertEquals(List.of(), violations("/** See {@link org.tribuo.Example}\n * and org.tribuo.Model. */\nclass A {}\n"));
        assertEquals(List.of(), violations("/* com.oracle.labs.mlrg.olcut */ String s = \"// not a comment\";\n"));
        assertEquals(List.of(), violations("String u = \"http://x\"; char q = '\"'; // org.tribuo\n"));
        assertEquals(List.of(), violations("import org.tribuonic.Thing;\nimport dev.regula.org.TribuoLike;\n"));
        assertEquals(List.of("4: org.tribuo.Example e;"),
                violations("String t = \"\"\"\n    /* not a comment \"\n    \"\"\";\norg.tribuo.Example e;\n"));
    }

    /**
     * Lines (as {@code "number: text"}) that use a forbidden package outside comments.
     * @param source Java source text.
     * @return the offending lines, in order.
     */
    static List<String> violations(String source) {
        String code = stripComments(source);
        String[] codeLines = code.split("\n", -1);
        String[] sourceLines = source.split("\n", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < codeLines.length; i++) {
            Matcher m = FORBIDDEN.matcher(codeLines[i]);
            if (m.find()) {
                out.add((i + 1) + ": " + sourceLines[i]);
            }
        }
        return out;
    }

    /**
     * Replaces every comment by spaces (keeping line breaks, so line numbers stay), leaving string, text-block
     * and character literals as they are.
     */
    static String stripComments(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    b.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (; i < end; i++) {
                    b.append(s.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (s.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !s.startsWith("\"\"\"", end)) {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 3);
                b.append(s, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && s.charAt(end) != c && s.charAt(end) != '\n') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                b.append(s, i, end);
                i = end;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
