package twolayer.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chapters' source text is clean: valid UTF-8 and no control character other than the line feed. A Java or
 * Python string such as "\varepsilon" or "\text" written through an escaping layer turns into a vertical tab or a tab
 * followed by the rest of the macro name; AsciiDoc passes it on and MathJax shows garbage, so the build rejects it
 * here (mvn test runs before the site is built) and names file:line:column.
 */
class DocsTextTest {

    private static final Path DOCS = Path.of("docs");

    @Test
    void everyChapterIsUtf8WithoutControlCharacters() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DOCS)) {
            files = walk.filter(p -> p.toString().endsWith(".adoc")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "docs/ holds the chapters (the test runs from the project directory)");
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            problems.addAll(controlCharacters(file.toString(), Files.readAllBytes(file)));
        }
        assertTrue(problems.isEmpty(), "control characters or invalid UTF-8 in docs/:\n" + String.join("\n", problems));
    }

    /** The scanner itself: it finds what it must and nothing else, with 1-based line and column. */
    @Test
    void scannerNamesLineAndColumnOfEachControlCharacter() {
        byte[] text = "ok line\r\nstem:[\u000Barepsilon_{\text{mach}}]\n\u00e9\u0085\n".getBytes(StandardCharsets.UTF_8);
        List<String> found = controlCharacters("x.adoc", text);
        assertEquals(List.of("x.adoc:1:8: U+000D", "x.adoc:2:7: U+000B", "x.adoc:2:19: U+0009", "x.adoc:3:2: U+0085"),
                found);
        assertEquals(List.of(), controlCharacters("y.adoc", "plain \\varepsilon and \\top\n".getBytes(
                StandardCharsets.UTF_8)));
        assertEquals(List.of("z.adoc: not valid UTF-8 (Input length = 1)"),
                controlCharacters("z.adoc", new byte[] {'a', (byte) 0xC3, '\n'}));
    }

    /**
     * Every character of {@code bytes} (decoded as strict UTF-8) below U+0020 other than the line feed, U+007F and the
     * C1 controls U+0080..U+009F, as "name:line:column: U+XXXX" (columns count code points from 1).
     */
    static List<String> controlCharacters(String name, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return List.of(name + ": not valid UTF-8 (" + e.getMessage() + ")");
        }
        List<String> found = new ArrayList<>();
        int line = 1, column = 1;
        for (int k = 0; k < text.length(); ) {
            int c = text.codePointAt(k);
            k += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
                continue;
            }
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                found.add(String.format("%s:%d:%d: U+%04X", name, line, column, c));
            }
            column++;
        }
        return found;
    }
}
