package dev.regula.examples.cli;

/** A problem with the user's input, reported as one line on stderr without a stack trace. */
final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     * @param message what is wrong and how to fix it.
     */
    UserException(String message) {
        super(message);
    }
}
