package dev.regula.examples.cli;

/**
 * Entry point of {@code regula.jar}. Placeholder until the study CLI lands.
 */
public final class RegulaCli {
    private RegulaCli() {}

    /**
     * Runs the CLI.
     * @param args command-line arguments.
     */
    public static void main(String[] args) {
        System.out.println("regula: the study CLI is not built yet");
    }
}
