package dev.regula.data;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The index CSV of an {@link ImageFolderDataSource}, read and validated: strict UTF-8 (an initial byte-order mark
 * is dropped), RFC 4180 fields through OpenCSV, the optional header row, one {@link Row} per image, and the safe
 * resolution of each file name inside the image directory. The format is described on
 * {@link ImageFolderDataSource}; every problem is an {@link ImageDataException} naming the index file and line.
 */
final class ImageIndex {
    /**
     * One image listed by the index.
     * @param line the 1-based CSV line of the row (of its first line, if a quoted field spans several).
     * @param filename the file name as written, relative to the image directory.
     * @param label the trimmed label, or null if the index has no label column.
     */
    record Row(long line, String filename, @Nullable String label) {}

    /**
     * How the fields of a record are read, fixed by the first non-blank record.
     * @param header true if that record was a header row (and so is not an image).
     * @param width the number of fields every record must have.
     * @param filenameIndex the field holding the file name.
     * @param labelIndex the field holding the label, or -1 if there is none.
     * @param expected the column names, for the message about a record of another width.
     */
    private record Layout(boolean header, int width, int filenameIndex, int labelIndex, String expected) {}

    /** The index CSV, named first by every message. */
    private final Path indexFile;
    /** The real image directory every file name must stay inside. */
    private final Path root;
    /** The configured file name column. */
    private final String filenameColumn;
    /** The configured label column, or null for {@value ImageFolderDataSource#DEFAULT_LABEL_COLUMN} if present. */
    private final @Nullable String labelColumn;
    /** The images, in index order. */
    private final List<Row> rows = new ArrayList<>();
    /** Whether the layout has a label column. */
    private boolean labelled;

    /**
     * An index with no rows yet; {@link #parse} fills it.
     * @param indexFile the index CSV.
     * @param root the real image directory.
     * @param filenameColumn the file name column.
     * @param labelColumn the label column, or null.
     */
    private ImageIndex(Path indexFile, Path root, String filenameColumn, @Nullable String labelColumn) {
        this.indexFile = indexFile;
        this.root = root;
        this.filenameColumn = filenameColumn;
        this.labelColumn = labelColumn;
    }

    /**
     * Reads the bytes of an index CSV.
     * @param indexFile the index CSV.
     * @return its content.
     * @throws ImageDataException if it does not exist or cannot be read.
     */
    static byte[] readBytes(Path indexFile) throws ImageDataException {
        try {
            return Files.readAllBytes(indexFile);
        } catch (NoSuchFileException e) {
            throw new ImageDataException(indexFile, -1, "index CSV does not exist", e);
        } catch (IOException e) {
            throw new ImageDataException(indexFile, -1, "cannot read index CSV: " + e, e);
        }
    }

    /**
     * Resolves the image directory to the real path every file name must stay inside.
     * @param indexFile the index CSV, named by the messages.
     * @param directory the configured image directory.
     * @return the directory's real path.
     * @throws ImageDataException if it does not exist, cannot be read or is not a directory.
     */
    static Path realDirectory(Path indexFile, Path directory) throws ImageDataException {
        Path root;
        try {
            root = directory.toRealPath();
        } catch (IOException e) {
            throw new ImageDataException(indexFile, -1, "image directory " + directory + " does not exist or is unreadable", e);
        }
        if (!Files.isDirectory(root)) {
            throw new ImageDataException(indexFile, -1, "image directory " + directory + " is not a directory");
        }
        return root;
    }

    /**
     * Parses an index CSV.
     * @param indexFile the index CSV, named by the messages.
     * @param bytes its content.
     * @param root the real image directory (see {@link #realDirectory(Path, Path)}) file names are resolved against.
     * @param filenameColumn the file name column, which makes the first row a header if it holds it.
     * @param labelColumn the label column, which the header must then hold; null to use
     *                    {@value ImageFolderDataSource#DEFAULT_LABEL_COLUMN} if present.
     * @return the index, possibly without rows.
     * @throws ImageDataException if the content is not UTF-8, not valid CSV, or breaks the index format.
     */
    static ImageIndex parse(Path indexFile, byte[] bytes, Path root, String filenameColumn, @Nullable String labelColumn)
            throws ImageDataException {
        ImageIndex index = new ImageIndex(indexFile, root, filenameColumn, labelColumn);
        index.read(decode(indexFile, bytes));
        return index;
    }

    /** @return the images in index order, unmodifiable. */
    List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** @return true if the index has a label column. */
    boolean labelled() {
        return labelled;
    }

    /**
     * Decodes the index as strict UTF-8 after dropping a leading byte-order mark (before parsing, so that a quoted
     * first field is still recognised as quoted), reporting an invalid byte with its line instead of silently
     * turning it into U+FFFD.
     * @param indexFile the index CSV, named by the message.
     * @param bytes its content.
     * @return the text.
     * @throws ImageDataException if the content is not valid UTF-8.
     */
    static String decode(Path indexFile, byte[] bytes) throws ImageDataException {
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int bad = in.position();
            long line = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ImageDataException(indexFile, line, "index CSV is not valid UTF-8: byte 0x"
                    + Integer.toHexString(bytes[bad] & 0xff) + " at offset " + bad + "; save the index as UTF-8");
        }
        out.flip();
        return out.toString();
    }

    /**
     * Reads every record: blank lines are skipped, the first other record fixes the {@link Layout}.
     * @param text the decoded index.
     * @throws ImageDataException if the CSV is malformed or breaks the index format.
     */
    private void read(String text) throws ImageDataException {
        Layout layout = null;
        try (CSVReader reader = new CSVReaderBuilder(new StringReader(text))
                .withCSVParser(new RFC4180ParserBuilder().build())
                .withKeepCarriageReturn(false)
                .build()) {
            long linesBefore = 0;
            while (true) {
                long line = linesBefore + 1;
                String[] record;
                try {
                    record = reader.readNext();
                } catch (CsvException | IOException e) {
                    throw new ImageDataException(indexFile, line, "malformed CSV: " + e.getMessage(), e);
                }
                if (record == null) {
                    break;
                }
                linesBefore = reader.getLinesRead();
                if (record.length == 1 && record[0].isEmpty()) {
                    continue; // blank line
                }
                if (layout == null) {
                    layout = layout(record, line);
                    if (layout.header()) {
                        continue;
                    }
                }
                rows.add(row(record, line, layout));
            }
            labelled = layout != null && layout.labelIndex() >= 0;
        } catch (ImageDataException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageDataException(indexFile, -1, "cannot read index CSV: " + e, e);
        }
    }

    /**
     * The layout the first non-blank record sets: a header if it holds the file name column, otherwise positional
     * columns (file name, then an optional label).
     * @param record the first non-blank record.
     * @param line its CSV line.
     * @return the layout.
     * @throws ImageDataException if the record is neither a valid header nor a valid positional row.
     */
    private Layout layout(String[] record, long line) throws ImageDataException {
        List<String> header = new ArrayList<>();
        for (String s : record) {
            header.add(s.trim());
        }
        if (header.contains(filenameColumn.trim())) {
            return headerLayout(header, line);
        }
        for (String h : header) {
            if (h.equalsIgnoreCase(filenameColumn.trim())) {
                throw new ImageDataException(indexFile, line, "the first row has a column '" + h + "' but the "
                        + "file name column is '" + filenameColumn + "' (column names are case-sensitive)");
            }
        }
        if (labelColumn != null) {
            throw new ImageDataException(indexFile, line, "labelColumn '" + labelColumn + "' is configured "
                    + "but the index has no header row (the first row does not contain the file name column '"
                    + filenameColumn + "'): " + String.join(",", record));
        }
        if (record.length > 2) {
            throw new ImageDataException(indexFile, line, "no header row (the first row does not contain the "
                    + "file name column '" + filenameColumn + "') and " + record.length
                    + " columns; a header-less index has a file name column and an optional label column");
        }
        return record.length == 2 ? new Layout(false, 2, 0, 1, "filename,label") : new Layout(false, 1, 0, -1, "filename");
    }

    /**
     * The layout of a header row: the file name column, the label column if any, and nothing else.
     * @param header the trimmed column names.
     * @param line the header's CSV line.
     * @return the layout.
     * @throws ImageDataException if a column is missing, repeated or unexpected.
     */
    private Layout headerLayout(List<String> header, long line) throws ImageDataException {
        int filenameIndex = findColumn(header, filenameColumn.trim(), line);
        int labelIndex = -1;
        if (labelColumn != null) {
            if (!header.contains(labelColumn.trim())) {
                throw new ImageDataException(indexFile, line, "label column '" + labelColumn
                        + "' not found; available columns: " + String.join(", ", header));
            }
            labelIndex = findColumn(header, labelColumn.trim(), line);
        } else if (header.contains(ImageFolderDataSource.DEFAULT_LABEL_COLUMN)) {
            labelIndex = findColumn(header, ImageFolderDataSource.DEFAULT_LABEL_COLUMN, line);
        }
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (i != filenameIndex && i != labelIndex) {
                extra.add("'" + header.get(i) + "'");
            }
        }
        if (!extra.isEmpty()) {
            throw new ImageDataException(indexFile, line, "unexpected column(s) " + String.join(", ", extra)
                    + "; the index may hold only the file name column '" + filenameColumn + "'"
                    + (labelIndex >= 0 ? " and the label column '" + header.get(labelIndex) + "'"
                    : " and a label column (set labelColumn to name it)"));
        }
        return new Layout(true, header.size(), filenameIndex, labelIndex, String.join(",", header));
    }

    /**
     * The position of a header column, which must appear once.
     * @param header the trimmed column names.
     * @param name the column, present in the header.
     * @param line the header's CSV line.
     * @return its index.
     * @throws ImageDataException if it appears more than once.
     */
    private int findColumn(List<String> header, String name, long line) throws ImageDataException {
        int index = header.indexOf(name);
        if (header.lastIndexOf(name) != index) {
            throw new ImageDataException(indexFile, line, "column '" + name + "' appears more than once in the header");
        }
        return index;
    }

    /**
     * One image record: the right number of fields, a file name and, if the layout has one, a label.
     * @param record the record.
     * @param line its CSV line.
     * @param layout the layout of the index.
     * @return the row.
     * @throws ImageDataException if a field is missing or empty.
     */
    private Row row(String[] record, long line, Layout layout) throws ImageDataException {
        if (record.length != layout.width()) {
            throw new ImageDataException(indexFile, line, "expected " + layout.width() + " field(s) (" + layout.expected()
                    + ") but found " + record.length + ": " + String.join(",", record));
        }
        String filename = record[layout.filenameIndex()];
        if (filename.isEmpty()) {
            throw new ImageDataException(indexFile, line, "empty file name");
        }
        String label = null;
        if (layout.labelIndex() >= 0) {
            label = record[layout.labelIndex()].trim();
            if (label.isEmpty()) {
                throw new ImageDataException(indexFile, line, "empty label for '" + filename + "'");
            }
        }
        return new Row(line, filename, label);
    }

    /**
     * Resolves a row's file name inside the image directory: it must be relative, must not escape the directory
     * through {@code ..} or a symbolic link, and must name an existing regular file.
     * @param row a row of this index.
     * @return the image file's real path.
     * @throws ImageDataException if the file name is invalid, escapes the directory, or names no regular file.
     */
    Path resolve(Row row) throws ImageDataException {
        Path relative;
        try {
            relative = root.getFileSystem().getPath(row.filename());
        } catch (InvalidPathException e) {
            throw new ImageDataException(indexFile, row.line(), "invalid file name '" + row.filename() + "': " + e.getMessage(), e);
        }
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw new ImageDataException(indexFile, row.line(), "file name '" + row.filename()
                    + "' is absolute; file names must be relative to the image directory " + root);
        }
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root)) {
            throw new ImageDataException(indexFile, row.line(), "file name '" + row.filename()
                    + "' escapes the image directory " + root);
        }
        Path real;
        try {
            real = resolved.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImageDataException(indexFile, row.line(), "image '" + row.filename() + "' does not exist (" + resolved + ")", e);
        } catch (IOException e) {
            throw new ImageDataException(indexFile, row.line(), "cannot access image '" + row.filename() + "' (" + resolved + "): " + e, e);
        }
        if (!real.startsWith(root)) {
            throw new ImageDataException(indexFile, row.line(), "image '" + row.filename() + "' is a link to " + real
                    + ", outside the image directory " + root);
        }
        if (!Files.isRegularFile(real)) {
            throw new ImageDataException(indexFile, row.line(), "image '" + row.filename() + "' (" + real + ") is not a regular file");
        }
        return real;
    }
}
