package dev.safeguards.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compiles every {@code ```java} block of {@code README.md} and {@code docs/*.md} against the real modules, so that
 * no snippet a user copies refers to a type, a method or a variable that does not exist (issue 21).
 *
 * <p>Each block is compiled on its own, in memory (no class file is written), with {@link javax.tools.JavaCompiler}
 * as Java 17 ({@code --release 17}) against this module's test class path, which holds every published module and
 * the container and framework APIs the snippets plug into. A block fails its own dynamic test, named after its file
 * and first line, when javac reports an error or a warning of {@code -Xlint:all} (so a snippet cannot show a
 * deprecated method); the failure lists each message at its line in the Markdown file, then the source as compiled.
 * Nothing is run: a snippet is checked against the API, not for what it does.
 *
 * <p><b>The convention</b> (also in {@code docs/testing.md}, for those who write documentation):
 * <ol>
 *   <li>A block whose top level holds only type declarations ({@code class}, {@code record}, {@code interface},
 *       {@code enum}, {@code @interface}) and, optionally, {@code import} lines compiles as a compilation unit. Any
 *       other block compiles as the body of a method that {@code throws Exception}; a type it declares there is a
 *       local type. A block may not declare a package, and a method body may not import.</li>
 *   <li>Every block sees the {@linkplain #DEFAULT_IMPORTS default imports}: the wildcard imports of the
 *       {@code dev.safeguards} packages the documentation uses, of the JDK packages it uses
 *       ({@code java.util}, {@code java.time}, {@code java.nio.file}, ...), of the Servlet and JAX-RS APIs and of
 *       Spring's web annotations, plus single-type imports where two of those packages share a simple name
 *       ({@code Path} is {@code java.nio.file.Path}, {@code Principal} is Safeguards', {@code Permission} is
 *       Safeguards'). A compilation unit's own {@code import} of a simple name replaces the default one (the JAX-RS
 *       resource imports {@code jakarta.ws.rs.Path}).</li>
 *   <li>What a snippet assumes but does not show is declared in an HTML comment that starts a line and ends on the
 *       line right before the block, which GitHub does not render: {@code <!-- given: Safeguards safeguards;
 *       HttpServletRequest request -->}. Its entries are separated by {@code ;}. A {@code Type name} entry becomes a
 *       parameter of the method the block is the body of (it stands for what the reader's application already
 *       has); a type declaration entry ({@code record PatientView(String id) {}}) is compiled beside the block's
 *       code, for both kinds of block. A compilation unit takes no variables: it declares its own fields. A
 *       {@code given} comment that does not end right before a {@code ```java} block fails the test.</li>
 *   <li>Prefer showing a declaration in the snippet itself when the reader needs to know how to make the value;
 *       keep {@code given} for what every application already has at hand (the request, its own repository).</li>
 *   <li>No {@code ...} in code: write the call, or name a given variable for what the snippet leaves out. A snippet
 *       that is deliberately not Java (a sketch, another language) is not a {@code ```java} block.</li>
 * </ol>
 */
class DocumentationSnippetsTest {

  /** The repository root, from this module's directory (the working directory of Maven's test run). */
  private static final Path ROOT = Path.of("../..");

  /** Every block sees these imports; see the class Javadoc. */
  static final List<String> DEFAULT_IMPORTS = List.of(
      "dev.safeguards.*",
      "dev.safeguards.access.*",
      "dev.safeguards.alert.*",
      "dev.safeguards.annotation.*",
      "dev.safeguards.audit.*",
      "dev.safeguards.authn.*",
      "dev.safeguards.compliance.*",
      "dev.safeguards.crypto.*",
      "dev.safeguards.gate.*",
      "dev.safeguards.http.*",
      "dev.safeguards.identity.*",
      "dev.safeguards.integrity.*",
      "dev.safeguards.redact.*",
      "dev.safeguards.session.*",
      "dev.safeguards.transport.*",
      "dev.safeguards.servlet.*",
      "dev.safeguards.jaxrs.*",
      "dev.safeguards.redis.*",
      "dev.safeguards.postgresql.*",
      "java.io.*",
      "java.net.*",
      "java.net.http.*",
      "java.nio.charset.*",
      "java.nio.file.*",
      "java.security.*",
      "java.security.spec.*",
      "java.time.*",
      "java.util.*",
      "java.util.concurrent.*",
      "java.util.function.*",
      "java.util.stream.*",
      "javax.net.ssl.*",
      "javax.sql.DataSource",
      "jakarta.annotation.security.*",
      "jakarta.servlet.*",
      "jakarta.servlet.http.*",
      "jakarta.ws.rs.*",
      "jakarta.ws.rs.core.*",
      "com.fasterxml.jackson.databind.JsonNode",
      "com.google.crypto.tink.Aead",
      "com.google.crypto.tink.KmsClient",
      "org.apache.tomcat.util.net.SSLHostConfig",
      "org.eclipse.jetty.util.ssl.SslContextFactory",
      "org.glassfish.jersey.server.ResourceConfig",
      "org.jboss.resteasy.core.ResteasyDeploymentImpl",
      "org.jboss.resteasy.spi.ResteasyDeployment",
      "org.slf4j.Logger",
      "org.slf4j.LoggerFactory",
      "org.springframework.context.annotation.Bean",
      "org.springframework.context.annotation.Configuration",
      "org.springframework.security.config.annotation.web.builders.HttpSecurity",
      "org.springframework.security.config.http.SessionCreationPolicy",
      "org.springframework.security.web.SecurityFilterChain",
      "org.springframework.web.bind.annotation.*",
      // one simple name, two packages above: the one the documentation means
      "java.nio.file.Path",
      "dev.safeguards.identity.Principal",
      "dev.safeguards.access.Permission");

  private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^\\s`]*).*$");
  private static final Pattern GIVEN = Pattern.compile("(?s)<!--\\s*given:(.*?)-->\\s*");
  private static final Pattern GIVEN_START = Pattern.compile("^\\s*<!--\\s*given:");
  private static final Pattern TYPE_DECLARATION = Pattern.compile(
      "^(?:(?:@[\\w.]+(?:\\s*\\([^)]*\\))?|public|protected|private|abstract|static|final|sealed|non-sealed"
          + "|strictfp)\\s+)*(?:class|interface|enum|@\\s*interface|record)\\s+([A-Za-z_$][\\w$]*)");
  private static final Pattern PUBLIC_TYPE = Pattern.compile(
      "^(?:@[\\w.]+(?:\\s*\\([^)]*\\))?\\s+)*public\\s+(?:(?:abstract|static|final|sealed|non-sealed|strictfp)\\s+)*"
          + "(?:class|interface|enum|@\\s*interface|record)\\s+([A-Za-z_$][\\w$]*)");
  private static final Pattern VARIABLE = Pattern.compile("^(.+?)\\s+([A-Za-z_$][\\w$]*)$");
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;$");

  private static JavaCompiler compiler;
  private static StandardJavaFileManager standardFiles;

  @BeforeAll
  static void openCompiler() {
    compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler).as("a JDK's compiler (the tests run on a JDK, not a JRE)").isNotNull();
    standardFiles = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
  }

  @AfterAll
  static void closeCompiler() throws IOException {
    standardFiles.close();
  }

  @TestFactory
  Stream<DynamicTest> javaBlock_inReadmeOrDocs_compiles() {
    return documents().stream()
        .flatMap(document -> snippetsOf(document).stream())
        .map(snippet -> DynamicTest.dynamicTest(snippet.location(), () -> assertCompiles(snippet)));
  }

  @Test
  void knownDocuments_read_eachYieldJavaBlocks() {
    // A wrong path, or a fence this reader no longer recognises, must not let the test above pass on nothing.
    for (String name : List.of("README.md", "docs/access-control.md", "docs/audit.md", "docs/authentication.md",
        "docs/breach-response.md", "docs/cluster.md", "docs/compliance.md", "docs/emergency-access.md",
        "docs/encryption.md", "docs/integrity.md", "docs/jaxrs.md", "docs/spring-boot.md", "docs/transport.md")) {
      assertThat(snippetsOf(ROOT.resolve(name))).as("```java blocks in " + name).isNotEmpty();
    }
  }

  @Test
  void givenComment_anywhere_endsRightBeforeAJavaBlock() throws IOException {
    List<String> orphans = new ArrayList<>();
    for (Path document : documents()) {
      List<String> lines = Files.readAllLines(document, StandardCharsets.UTF_8);
      Set<Integer> used = new LinkedHashSet<>();
      for (Snippet snippet : snippetsOf(document)) {
        if (snippet.givenLine() > 0) {
          used.add(snippet.givenLine());
        }
      }
      for (int i = 0; i < lines.size(); i++) {
        if (GIVEN_START.matcher(lines.get(i)).find() && !used.contains(i + 1)) {
          orphans.add(display(document) + ":" + (i + 1));
        }
      }
    }
    assertThat(orphans).as("given comments that do not end on the line right before a ```java block").isEmpty();
  }

  // --- reading the documents ------------------------------------------------------------------------------------

  static List<Path> documents() {
    List<Path> documents = new ArrayList<>();
    documents.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(documents::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path document : documents) {
      assertThat(document).as("run from examples/docs-snippets").isRegularFile();
    }
    return documents;
  }

  /** A {@code ```java} block: its code (fence indentation removed), where it starts, and its given context. */
  record Snippet(String document, int line, String code, String given, int givenLine) {
    String location() {
      return document + ":" + line;
    }
  }

  static List<Snippet> snippetsOf(Path document) {
    List<String> lines;
    try {
      lines = Files.readAllLines(document, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Snippet> snippets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      String indent = open.group(1);
      String fence = open.group(2);
      boolean java = open.group(3).equals("java");
      int start = i + 1;
      int end = start;
      while (end < lines.size() && !isClosing(lines.get(end), fence)) {
        end++;
      }
      if (java) {
        StringBuilder code = new StringBuilder();
        for (int j = start; j < end; j++) {
          code.append(stripIndent(lines.get(j), indent.length())).append('\n');
        }
        int givenLine = 0;
        String given = "";
        if (i > 0 && lines.get(i - 1).trim().endsWith("-->")) {
          int first = i - 1;
          while (first > 0 && !lines.get(first).contains("<!--")) {
            first--;
          }
          String comment = String.join("\n", lines.subList(first, i)).trim();
          Matcher m = GIVEN.matcher(comment);
          if (m.matches()) {
            given = m.group(1).trim();
            givenLine = first + 1;
          }
        }
        snippets.add(new Snippet(display(document), start + 1, code.toString(), given, givenLine));
      }
      i = end;
    }
    return snippets;
  }

  private static boolean isClosing(String line, String fence) {
    String t = line.trim();
    return t.length() >= fence.length() && t.chars().allMatch(c -> c == fence.charAt(0));
  }

  private static String stripIndent(String line, int indent) {
    int n = 0;
    while (n < indent && n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return line.substring(n);
  }

  private static String display(Path document) {
    return ROOT.relativize(document).toString().replace('\\', '/');
  }

  // --- turning a block into a compilation unit -----------------------------------------------------------------

  /** A generated source: its text, its file name, and the line of the text where the block's first line is. */
  record Source(String packageName, String fileName, String text, int firstCodeLine, int codeLines) {}

  static Source sourceOf(Snippet snippet) {
    String packageName = "snippets." + snippet.document().replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT)
        + ".line" + snippet.line();
    List<String> items = topLevelItems(snippet.code());
    boolean imports = items.stream().anyMatch(item -> item.startsWith("import "));
    boolean types = items.stream().anyMatch(item -> TYPE_DECLARATION.matcher(item).find());
    boolean unit = types && items.stream()
        .allMatch(item -> item.startsWith("import ") || TYPE_DECLARATION.matcher(item).find());
    if (items.stream().anyMatch(item -> item.startsWith("package "))) {
      fail(snippet.location() + ": a block declares no package (each is compiled in one of its own)");
    }
    if (imports && !unit) {
      fail(snippet.location() + ": only a block of type declarations may import; "
          + "a method body relies on the default imports (see DocumentationSnippetsTest)");
    }

    List<String> givenTypes = new ArrayList<>();
    List<String> parameters = new ArrayList<>();
    for (String entry : splitTopLevel(snippet.given(), ';')) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      if (TYPE_DECLARATION.matcher(e).find()) {
        givenTypes.add(e);
        continue;
      }
      Matcher variable = VARIABLE.matcher(e);
      if (!variable.matches()) {
        fail(snippet.document() + ":" + snippet.givenLine() + ": a given entry is `Type name` or a type declaration: "
            + e);
      }
      parameters.add(variable.group(1) + " " + variable.group(2));
    }
    if (unit && !parameters.isEmpty()) {
      fail(snippet.location() + ": a block of type declarations takes no given variables: declare them in it");
    }

    Set<String> ownSimpleNames = new LinkedHashSet<>();
    for (String item : items) {
      Matcher m = IMPORT.matcher(item);
      if (m.matches() && m.group(1) == null && !m.group(2).endsWith(".*")) {
        ownSimpleNames.add(m.group(2).substring(m.group(2).lastIndexOf('.') + 1));
      }
    }

    StringBuilder text = new StringBuilder();
    text.append("package ").append(packageName).append(";\n");
    for (String imported : DEFAULT_IMPORTS) {
      String simpleName = imported.substring(imported.lastIndexOf('.') + 1);
      if (!ownSimpleNames.contains(simpleName)) {
        text.append("import ").append(imported).append(";\n");
      }
    }
    String fileName = "Snippet";
    if (unit) {
      for (String item : items) {
        Matcher m = PUBLIC_TYPE.matcher(item);
        if (m.find()) {
          fileName = m.group(1);
          break;
        }
      }
    } else {
      text.append("final class Snippet {\n");
      text.append("  void run(").append(String.join(", ", parameters)).append(") throws Exception {\n");
    }
    int firstCodeLine = (int) text.chars().filter(c -> c == '\n').count() + 1;
    text.append(snippet.code());
    int codeLines = (int) snippet.code().chars().filter(c -> c == '\n').count();
    if (!unit) {
      text.append("  }\n}\n");
    }
    for (String type : givenTypes) {
      text.append(type).append('\n');
    }
    return new Source(packageName, fileName, text.toString(), firstCodeLine, codeLines);
  }

  /**
   * The block's top-level items, comments removed: each import, each type declaration, each statement (a
   * statement that ends with a block, such as {@code if}, ends there). Enough to tell a compilation unit from a
   * method body; javac judges the rest.
   */
  static List<String> topLevelItems(String code) {
    List<String> items = new ArrayList<>();
    StringBuilder item = new StringBuilder();
    int depth = 0;
    int i = 0;
    while (i < code.length()) {
      char c = code.charAt(i);
      if (code.startsWith("//", i)) {
        i = skipTo(code, "\n", i + 2);
        item.append(' ');
        continue;
      }
      if (code.startsWith("/*", i)) {
        i = skipTo(code, "*/", i + 2);
        item.append(' ');
        continue;
      }
      if (code.startsWith("\"\"\"", i)) {
        int end = skipTo(code, "\"\"\"", i + 3);
        item.append(code, i, end);
        i = end;
        continue;
      }
      if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < code.length() && code.charAt(j) != c && code.charAt(j) != '\n') {
          j += code.charAt(j) == '\\' ? 2 : 1;
        }
        int end = Math.min(j + 1, code.length());
        item.append(code, i, end);
        i = end;
        continue;
      }
      item.append(c);
      i++;
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
      if (depth == 0 && (c == ';' || c == '}')) {
        addItem(items, item);
      }
    }
    addItem(items, item);
    return items;
  }

  private static void addItem(List<String> items, StringBuilder item) {
    String s = item.toString().strip().replaceAll("\\s+", " ");
    if (!s.isEmpty() && !s.equals(";")) {
      items.add(s);
    }
    item.setLength(0);
  }

  private static int skipTo(String code, String end, int from) {
    int j = code.indexOf(end, from);
    return j < 0 ? code.length() : j + end.length();
  }

  private static List<String> splitTopLevel(String text, char separator) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '<' || c == '{' || c == '[') {
        depth++;
      } else if (c == ')' || c == '>' || c == '}' || c == ']') {
        depth--;
      } else if (c == separator && depth == 0) {
        parts.add(text.substring(from, i));
        from = i + 1;
      }
    }
    parts.add(text.substring(from));
    return parts;
  }

  // --- compiling -------------------------------------------------------------------------------------------------

  private static void assertCompiles(Snippet snippet) {
    Source source = sourceOf(snippet);
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file = new SimpleJavaFileObject(
        URI.create("string:///" + source.packageName().replace('.', '/') + "/" + source.fileName() + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source.text();
      }
    };
    List<String> options = List.of("--release", "17", "-proc:none", "-Xlint:all,-processing",
        "-classpath", System.getProperty("java.class.path"));
    boolean compiled = compiler.getTask(null, new DiscardingClassFiles(standardFiles), diagnostics, options, null,
        List.of(file)).call();

    List<String> problems = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) {
        continue;
      }
      problems.add(where(snippet, source, d.getLineNumber()) + ": " + d.getKind().toString().toLowerCase(Locale.ROOT)
          + ": " + d.getMessage(Locale.ROOT));
    }
    if (!compiled || !problems.isEmpty()) {
      fail("the ```java block at " + snippet.location() + " does not compile cleanly:\n  "
          + String.join("\n  ", problems) + "\ncompiled as:\n" + numbered(source.text()));
    }
  }

  private static String where(Snippet snippet, Source source, long generatedLine) {
    long offset = generatedLine - source.firstCodeLine();
    if (generatedLine > 0 && offset >= 0 && offset < source.codeLines()) {
      return snippet.document() + ":" + (snippet.line() + offset);
    }
    if (snippet.givenLine() > 0) {
      return snippet.document() + ":" + snippet.givenLine() + " (given, generated line " + generatedLine + ")";
    }
    return snippet.location() + " (generated line " + generatedLine + ")";
  }

  /** The generated source with its line numbers, the default imports shown as one line. */
  private static String numbered(String text) {
    String[] lines = text.split("\n", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      if (isDefaultImport(lines[i])) {
        int last = i;
        while (last + 1 < lines.length && isDefaultImport(lines[last + 1])) {
          last++;
        }
        out.append(String.format(Locale.ROOT, "%4d-%d  (the default imports)%n", i + 1, last + 1));
        i = last;
      } else {
        out.append(String.format(Locale.ROOT, "%4d  %s%n", i + 1, lines[i]));
      }
    }
    return out.toString();
  }

  private static boolean isDefaultImport(String line) {
    return line.startsWith("import ") && line.endsWith(";")
        && DEFAULT_IMPORTS.contains(line.substring("import ".length(), line.length() - 1));
  }

  /** Compiles in memory: class files are written nowhere. */
  private static final class DiscardingClassFiles extends ForwardingJavaFileManager<JavaFileManager> {
    DiscardingClassFiles(JavaFileManager files) {
      super(files);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
        FileObject sibling) {
      return new SimpleJavaFileObject(URI.create("discarded:///" + className.replace('.', '/') + kind.extension),
          kind) {
        @Override
        public OutputStream openOutputStream() {
          return OutputStream.nullOutputStream();
        }
      };
    }
  }
}
