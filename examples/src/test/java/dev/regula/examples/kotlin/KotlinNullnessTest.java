package dev.regula.examples.kotlin;

import org.jetbrains.kotlin.cli.common.ExitCode;
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler;
import org.jetbrains.kotlin.config.KotlinCompilerVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the recommended Kotlin compiler enforces with Regula's JSpecify annotations ({@code docs/kotlin.md}): it
 * compiles, in-process with the project's own Kotlin version, a snippet that passes {@code null} to a non-null
 * parameter and one that uses a {@code @Nullable} result as non-null, and expects compile errors, not the warnings
 * that Kotlin before 2.1 gives; the same snippet without the misuse compiles.
 */
class KotlinNullnessTest {
    /** The version docs/kotlin.md recommends: the project's kotlin.version, and errors on JSpecify misuse. */
    static final String RECOMMENDED = "2.2.21";

    /** Compiles one Kotlin file against the test class path (Regula, JSpecify, kotlin-stdlib). */
    private static Compilation compile(Path dir, String source) throws IOException {
        Path file = Files.writeString(dir.resolve("Use.kt"), source);
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        ExitCode code;
        try (PrintStream out = new PrintStream(messages, true, StandardCharsets.UTF_8)) {
            code = new K2JVMCompiler().exec(out, "-no-stdlib", "-no-reflect", "-jvm-target", "17",
                    "-cp", System.getProperty("java.class.path"), "-d", dir.resolve("classes").toString(),
                    file.toString());
        }
        return new Compilation(code, messages.toString(StandardCharsets.UTF_8));
    }

    private record Compilation(ExitCode code, String messages) {}

    @Test
    void theProjectBuildsWithTheRecommendedKotlin() {
        assertEquals(RECOMMENDED, KotlinCompilerVersion.VERSION, "docs/kotlin.md recommends Kotlin " + RECOMMENDED
                + " (errors on JSpecify misuse from 2.1.0 on); update its table when changing kotlin.version");
    }

    @Test
    void passingNullToANonNullParameterIsACompileError(@TempDir Path dir) throws IOException {
        Compilation c = compile(dir, """
                import dev.regula.mlp.EarlyStopping
                fun main() {
                    println(EarlyStopping.monitoring(null).build())
                }
                """);
        assertEquals(ExitCode.COMPILATION_ERROR, c.code(), c.messages());
        assertTrue(c.messages().contains("error: null cannot be a value of a non-null type 'String'"), c.messages());
    }

    @Test
    void aNullableResultUsedAsNonNullIsACompileError(@TempDir Path dir) throws IOException {
        Compilation c = compile(dir, """
                import dev.regula.mlp.EarlyStopping
                import dev.regula.mlp.MLPTrainer
                fun main() {
                    val e: EarlyStopping = MLPTrainer.builder().build().earlyStopping
                    println(e)
                }
                """);
        assertEquals(ExitCode.COMPILATION_ERROR, c.code(), c.messages());
        assertTrue(c.messages().contains("error: initializer type mismatch: expected 'EarlyStopping', actual 'EarlyStopping?'"),
                c.messages());
    }

    @Test
    void theSameCallsWithoutTheMisuseCompile(@TempDir Path dir) throws IOException {
        Compilation c = compile(dir, """
                import dev.regula.mlp.EarlyStopping
                import dev.regula.mlp.MLPTrainer
                fun main() {
                    val s: EarlyStopping = EarlyStopping.monitoring("val_loss").build()
                    val e: EarlyStopping? = MLPTrainer.builder().build().earlyStopping
                    println("$s $e")
                }
                """);
        assertEquals(ExitCode.OK, c.code(), c.messages());
        assertTrue(!c.messages().contains("warning: Java type mismatch"), c.messages());
    }
}
