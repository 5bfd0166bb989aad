package dev.regula.config;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.io.ConfigLoaderException;
import org.jspecify.annotations.Nullable;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads OLCUT XML configuration files that may come from someone else (a shared {@code best-config.xml}) without
 * letting them read local files or make network requests.
 * <p>
 * OLCUT's own loader parses with a default SAX parser, which expands external entities
 * ({@code <!ENTITY e SYSTEM "file:///etc/passwd">}) into property values, fetches external DTDs over HTTP and
 * follows {@code <file>} imports and {@code <serialized>} objects. Here the file is read once (at most
 * {@value #MAX_BYTES} bytes) and checked with a hardened parser first: no DOCTYPE at all (hence no DTD, no entity
 * declarations, no external entities), no XInclude, secure processing, every external access refused, and only the
 * elements and attributes of plain component configurations ({@code config}, {@code component}, {@code property},
 * {@code propertylist}, {@code item}, {@code type}, {@code propertymap}, {@code entry}). Only then does OLCUT parse
 * <em>the same bytes</em> (served from memory, so the file cannot change in between). Messages name the file, the
 * line and at most the offending element or attribute name, never the content of the file.
 */
public final class ConfigurationFiles {
    /** Largest configuration file accepted, 4 MiB (a trainer configuration is a few kilobytes). */
    public static final int MAX_BYTES = 4 << 20;

    /** Deepest element nesting accepted (OLCUT configurations nest three or four levels). */
    private static final int MAX_DEPTH = 32;

    /** The attributes each element of a component configuration may carry. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "config", Set.of(),
            "component", Set.of("name", "type", "inherit", "export", "import", "leasetime"),
            "property", Set.of("name", "value"),
            "propertylist", Set.of("name"),
            "item", Set.of(),
            "type", Set.of(),
            "propertymap", Set.of("name"),
            "entry", Set.of("key", "value"));

    private ConfigurationFiles() {}

    /**
     * Reads, checks and loads an OLCUT XML configuration file.
     * @param file the configuration file.
     * @return a configuration manager holding the file's components.
     * @throws NoSuchFileException if the file does not exist.
     * @throws ConfigLoaderException if the file is too large, is not well-formed XML, declares a DOCTYPE or uses an
     *     element or attribute outside plain component configurations; also OLCUT's own errors.
     * @throws IOException if the file cannot be read.
     */
    public static ConfigurationManager load(Path file) throws IOException {
        byte[] xml = read(file);
        check(xml, file.toString());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addProperties(inMemory(xml, file.getFileName() == null ? "config" : file.getFileName().toString()));
        return cm;
    }

    /**
     * Checks and loads OLCUT XML configuration text held in memory (a trial's configuration sent to another JVM),
     * with the same rules and size limit as {@link #load(Path)}.
     * @param xml the configuration's bytes (UTF-8 XML).
     * @param name what the text is, for messages (e.g. {@code "the data configuration of trial p1-s0"}).
     * @return a configuration manager holding the text's components.
     * @throws ConfigLoaderException if the text is larger than {@value #MAX_BYTES} bytes, is not well-formed XML,
     *     declares a DOCTYPE or uses an element or attribute outside plain component configurations; also OLCUT's
     *     own errors.
     * @throws IOException if the text cannot be parsed.
     */
    public static ConfigurationManager load(byte[] xml, String name) throws IOException {
        if (xml.length > MAX_BYTES) {
            throw new ConfigLoaderException(name + " has " + xml.length + " bytes, more than the " + MAX_BYTES
                    + " accepted for a configuration");
        }
        check(xml, name);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addProperties(inMemory(xml, "config"));
        return cm;
    }

    /**
     * Reads a configuration file, refusing one larger than {@value #MAX_BYTES} bytes before reading it.
     * @param file the file.
     * @return its bytes.
     * @throws IOException if it does not exist, is not a regular file, is too large or cannot be read.
     */
    static byte[] read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "configuration file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigLoaderException("configuration file " + file + " is not a regular file");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new ConfigLoaderException("configuration file " + file + " has " + size + " bytes, more than the "
                    + MAX_BYTES + " accepted for a configuration");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ConfigLoaderException("configuration file " + file + " grew beyond " + MAX_BYTES + " bytes while being read");
            }
            return bytes;
        }
    }

    /**
     * Checks configuration XML with the hardened parser and the element rules of the class comment.
     * @param xml the file's bytes.
     * @param name the file, for messages.
     * @throws ConfigLoaderException naming the file, line and offending token if the XML is refused.
     */
    public static void check(byte[] xml, String name) throws ConfigLoaderException {
        XMLReader reader;
        try {
            reader = hardenedParser().getXMLReader();
        } catch (ParserConfigurationException | SAXException e) {
            throw new ConfigLoaderException(e, "cannot create a hardened XML parser to check " + name + ": " + e.getMessage());
        }
        Rules rules = new Rules();
        reader.setContentHandler(rules);
        reader.setErrorHandler(rules);
        reader.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entities are not allowed");
        });
        try {
            reader.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (SAXParseException e) {
            throw new ConfigLoaderException(e, "configuration file " + name + ", line " + e.getLineNumber() + ": "
                    + (declaresDoctype(xml) ? "DOCTYPE declarations (DTDs, entities) are not allowed in a configuration"
                    : e.getException() instanceof Refusal r ? r.getMessage() : "not well-formed XML: " + shorten(e.getMessage())));
        } catch (SAXException e) {
            throw new ConfigLoaderException(e, "configuration file " + name + ": "
                    + (e instanceof Refusal r ? r.getMessage() : "refused: " + shorten(e.getMessage())));
        } catch (IOException e) {
            throw new ConfigLoaderException(e, "configuration file " + name + " cannot be parsed: " + shorten(e.getMessage()));
        }
    }

    /**
     * @return a SAX parser that refuses DOCTYPE declarations and any external access.
     * @throws ParserConfigurationException if the JDK parser lacks a feature.
     * @throws SAXException if the JDK parser lacks a feature.
     */
    private static SAXParser hardenedParser() throws ParserConfigurationException, SAXException {
        // The JDK's own parser, whatever javax.xml.parsers.SAXParserFactory names: these features are Xerces names.
        SAXParserFactory f = SAXParserFactory.newDefaultInstance();
        f.setNamespaceAware(false);
        f.setValidating(false);
        f.setXIncludeAware(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        SAXParser parser = f.newSAXParser();
        parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return parser;
    }

    /** Whether the start of the document (read as ASCII-compatible text) holds a DOCTYPE, for a clearer message. */
    private static boolean declaresDoctype(byte[] xml) {
        String text = new String(xml, 0, Math.min(xml.length, 1 << 16), StandardCharsets.ISO_8859_1);
        return text.toUpperCase(Locale.ROOT).contains("<!DOCTYPE");
    }

    private static String shorten(@Nullable String message) {
        if (message == null) {
            return "(no detail)";
        }
        String oneLine = message.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    /** A rule violation: its message is ours and names only the offending element or attribute. */
    private static final class Refusal extends SAXException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message);
        }
    }

    /** Enforces the element and attribute rules of a plain component configuration. */
    private static final class Rules extends DefaultHandler {
        private @Nullable Locator locator;
        private int depth;

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        private String at() {
            return locator == null ? "" : "line " + locator.getLineNumber() + ": ";
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
            if (++depth > MAX_DEPTH) {
                throw new Refusal(at() + "elements nest deeper than " + MAX_DEPTH + " levels");
            }
            if (depth == 1 && !qName.equals("config")) {
                throw new Refusal(at() + "the root element must be <config>, found <" + token(qName) + ">");
            }
            if (qName.equals("file")) {
                throw new Refusal(at() + "<file> imports of other configuration files are not allowed; merge them into one file");
            }
            if (qName.equals("serialized")) {
                throw new Refusal(at() + "<serialized> objects (Java deserialization of a file) are not allowed in a configuration");
            }
            Set<String> allowed = ALLOWED.get(qName);
            if (allowed == null) {
                throw new Refusal(at() + "element <" + token(qName) + "> is not part of an OLCUT component configuration");
            }
            for (int i = 0; i < attributes.getLength(); i++) {
                String attribute = attributes.getQName(i);
                if (!allowed.contains(attribute)) {
                    throw new Refusal(at() + "attribute '" + token(attribute) + "' is not allowed on <" + qName + ">");
                }
                if (attribute.equals("import") && !attributes.getValue(i).trim().equals("false")) {
                    throw new Refusal(at() + "components imported from a remote registry (import=\"true\") are not allowed");
                }
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            depth--;
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        /** An element or attribute name, cut to a length that cannot carry much of anything. */
        private static String token(String name) {
            return name.length() <= 40 ? name : name.substring(0, 40) + "...";
        }
    }

    /**
     * A URL whose content is the given bytes, so OLCUT reads exactly what was checked. The path ends in
     * {@code .xml}, which selects OLCUT's XML loader.
     */
    private static URL inMemory(byte[] xml, String fileName) throws MalformedURLException {
        String safeName = fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        URLStreamHandler handler = new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL u) {
                return new URLConnection(u) {
                    @Override
                    public void connect() {
                        connected = true;
                    }

                    @Override
                    public InputStream getInputStream() {
                        return new ByteArrayInputStream(xml);
                    }
                };
            }
        };
        return new URL("regula-config", null, -1, "/" + safeName + (safeName.endsWith(".xml") ? "" : ".xml"), handler);
    }
}
