package dev.safeguards.integrity.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A strict parser and serializer of RFC 8941 Structured Field Values for HTTP: lists, dictionaries, items, inner lists,
 * parameters, and the bare item types integer, decimal, string, token, byte sequence and boolean.
 *
 * <p>Parsing follows the algorithms of RFC 8941 section 4.2 character by character; no regular expression is used.
 * Anything the grammar does not allow, including any character outside printable ASCII, fails with
 * {@link StructuredFieldException}, whose message names the position and never echoes the input. Serialization follows
 * section 4.1 and is canonical: parsing and serializing a field gives the form every conforming sender produces.
 * Not part of the public API.
 */
public final class StructuredFields {

  private StructuredFields() {}

  // ---------------------------------------------------------------------------------------------------------------
  // Model

  /** A bare item: one of the six RFC 8941 types. */
  public sealed interface BareItem permits SfInteger, SfDecimal, SfString, SfToken, SfBytes, SfBoolean {}

  /**
   * An integer of at most 15 digits.
   *
   * @param value the integer, -999,999,999,999,999 to 999,999,999,999,999
   */
  public record SfInteger(long value) implements BareItem {
    /**
     * Checks the range.
     *
     * @param value the integer, -999,999,999,999,999 to 999,999,999,999,999
     * @throws IllegalArgumentException if it has more than 15 digits
     */
    public SfInteger {
      if (value > 999_999_999_999_999L || value < -999_999_999_999_999L) {
        throw new IllegalArgumentException("an sf-integer has at most 15 digits");
      }
    }
  }

  /**
   * A decimal with at most 12 integer and 3 fraction digits.
   *
   * @param value the decimal, with a scale of 3
   */
  public record SfDecimal(BigDecimal value) implements BareItem {
    /**
     * Rounds to 3 fraction digits (half even) and checks the range.
     *
     * @param value the decimal; rounded to 3 fraction digits, then at most 12 integer digits; not null
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if it has more than 12 integer digits after rounding
     */
    public SfDecimal {
      value = value.setScale(3, RoundingMode.HALF_EVEN);
      if (value.abs().compareTo(new BigDecimal("999999999999.999")) > 0) {
        throw new IllegalArgumentException("an sf-decimal has at most 12 integer digits");
      }
    }
  }

  /**
   * A string of printable ASCII characters.
   *
   * @param value the string, unescaped; 0x20 to 0x7e only
   */
  public record SfString(String value) implements BareItem {
    /**
     * Checks the characters.
     *
     * @param value the string, unescaped; may be empty, not null
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if it holds a character outside 0x20 to 0x7e
     */
    public SfString {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw new IllegalArgumentException("an sf-string holds printable ASCII only");
        }
      }
    }
  }

  /**
   * A token: a letter or {@code *}, then token characters, {@code :} or {@code /}.
   *
   * @param value the token
   */
  public record SfToken(String value) implements BareItem {
    /**
     * Checks the characters.
     *
     * @param value the token: a letter or {@code *}, then RFC 9110 token characters, {@code :} or {@code /}
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if it is empty or holds another character
     */
    public SfToken {
      if (value.isEmpty() || !(isAlpha(value.charAt(0)) || value.charAt(0) == '*')) {
        throw new IllegalArgumentException("an sf-token starts with a letter or *");
      }
      for (int i = 1; i < value.length(); i++) {
        char c = value.charAt(i);
        if (!isTchar(c) && c != ':' && c != '/') {
          throw new IllegalArgumentException("an sf-token holds token characters, : and / only");
        }
      }
    }
  }

  /**
   * A byte sequence.
   *
   * @param value the bytes; copied in and out
   */
  public record SfBytes(byte[] value) implements BareItem {
    /**
     * Copies the bytes.
     *
     * @param value the bytes; copied, not null
     * @throws NullPointerException if {@code value} is null
     */
    public SfBytes {
      value = value.clone();
    }

    /**
     * The bytes.
     *
     * @return a new copy on each call
     */
    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SfBytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "SfBytes[" + value.length + " bytes]";
    }
  }

  /**
   * A boolean.
   *
   * @param value the boolean
   */
  public record SfBoolean(boolean value) implements BareItem {}

  /**
   * Parameters: keys in the order first seen, each with a bare item.
   *
   * @param map key to value, in order; unmodifiable
   */
  public record Parameters(Map<String, BareItem> map) {
    /** No parameters. */
    public static final Parameters EMPTY = new Parameters(Map.of());

    /**
     * Copies the map, keeping its order, and checks every key.
     *
     * @param map key to value: every key an RFC 8941 key, no value null
     * @throws NullPointerException if the map or a value is null
     * @throws IllegalArgumentException if a key is not an RFC 8941 key (a lower-case letter or {@code *}, then
     *     {@code a-z 0-9 _ - . *})
     */
    public Parameters {
      Map<String, BareItem> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(checkKey(k), Objects.requireNonNull(v, "parameter value")));
      map = Collections.unmodifiableMap(copy);
    }

    /**
     * The value of {@code key}, if present.
     *
     * @param key the parameter's key
     * @return its value; empty if there is no such parameter
     */
    public Optional<BareItem> get(String key) {
      return Optional.ofNullable(map.get(key));
    }

    /**
     * Whether there is no parameter.
     *
     * @return {@code true} if the map is empty
     */
    public boolean isEmpty() {
      return map.isEmpty();
    }
  }

  /** A member of a list or dictionary: an item or an inner list. */
  public sealed interface Member permits Item, InnerList {
    /**
     * The member's parameters.
     *
     * @return the parameters; {@link Parameters#EMPTY} when there are none
     */
    Parameters parameters();
  }

  /**
   * An item: a bare item with parameters.
   *
   * @param value the bare item
   * @param parameters its parameters
   */
  public record Item(BareItem value, Parameters parameters) implements Member {
    /**
     * Checks the components.
     *
     * @param value the bare item; not null
     * @param parameters its parameters; {@link Parameters#EMPTY} for none, not null
     * @throws NullPointerException if a component is null
     */
    public Item {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(parameters, "parameters");
    }

    /**
     * An item without parameters.
     *
     * @param value the bare item; not null
     * @return the item, with {@link Parameters#EMPTY}
     * @throws NullPointerException if {@code value} is null
     */
    public static Item of(BareItem value) {
      return new Item(value, Parameters.EMPTY);
    }
  }

  /**
   * An inner list: items in parentheses, with parameters.
   *
   * @param items the items, in order; unmodifiable
   * @param parameters the inner list's own parameters
   */
  public record InnerList(List<Item> items, Parameters parameters) implements Member {
    /**
     * Copies the items.
     *
     * @param items the items, in order; copied, may be empty, none null
     * @param parameters the inner list's own parameters; not null
     * @throws NullPointerException if a component or an item is null
     */
    public InnerList {
      items = List.copyOf(items);
      Objects.requireNonNull(parameters, "parameters");
    }
  }

  /** A structured field value could not be parsed, or a value cannot be serialized. */
  public static final class StructuredFieldException extends Exception {
    private static final long serialVersionUID = 1L;

    StructuredFieldException(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Parsing (RFC 8941 section 4.2)

  /**
   * Parses field lines as a List; several lines are combined with {@code ", "} first.
   *
   * @param fieldLines the field's lines, in order; at least one, not null
   * @return the members in order; unmodifiable, empty for an empty field value
   * @throws StructuredFieldException if there is no line, or the combined value is not a valid List
   */
  public static List<Member> parseList(List<String> fieldLines) throws StructuredFieldException {
    Parser p = new Parser(combine(fieldLines));
    List<Member> members = new ArrayList<>();
    p.skipSpaces();
    while (!p.atEnd()) {
      members.add(p.parseMember());
      p.skipOws();
      if (p.atEnd()) {
        break;
      }
      p.expect(',', "a comma between list members");
      p.skipOws();
      if (p.atEnd()) {
        throw p.fail("a trailing comma");
      }
    }
    return List.copyOf(members);
  }

  /**
   * Parses field lines as a Dictionary, keeping the order of first appearance of each key.
   *
   * @param fieldLines the field's lines, in order, combined with {@code ", "}; at least one, not null
   * @return key to member; unmodifiable, empty for an empty field value. A repeated key keeps its first place and
   *     its last value, as RFC 8941 specifies
   * @throws StructuredFieldException if there is no line, or the combined value is not a valid Dictionary
   */
  public static Map<String, Member> parseDictionary(List<String> fieldLines) throws StructuredFieldException {
    Parser p = new Parser(combine(fieldLines));
    Map<String, Member> members = new LinkedHashMap<>();
    p.skipSpaces();
    while (!p.atEnd()) {
      String key = p.parseKey();
      Member member;
      if (p.peek() == '=') {
        p.pos++;
        member = p.parseMember();
      } else {
        member = new Item(new SfBoolean(true), p.parseParameters());
      }
      members.put(key, member);
      p.skipOws();
      if (p.atEnd()) {
        break;
      }
      p.expect(',', "a comma between dictionary members");
      p.skipOws();
      if (p.atEnd()) {
        throw p.fail("a trailing comma");
      }
    }
    return Collections.unmodifiableMap(members);
  }

  /**
   * Parses field lines as an Item.
   *
   * @param fieldLines the field's lines, in order, combined with {@code ", "}; at least one, not null
   * @return the item
   * @throws StructuredFieldException if there is no line, or the combined value is not exactly one valid Item
   */
  public static Item parseItem(List<String> fieldLines) throws StructuredFieldException {
    Parser p = new Parser(combine(fieldLines));
    p.skipSpaces();
    Item item = p.parseItem();
    p.skipSpaces();
    if (!p.atEnd()) {
      throw p.fail("characters after the item");
    }
    return item;
  }

  private static String combine(List<String> fieldLines) throws StructuredFieldException {
    if (fieldLines.isEmpty()) {
      throw new StructuredFieldException("the field is absent");
    }
    return String.join(", ", fieldLines);
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) throws StructuredFieldException {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c > 0x7e || (c < 0x20 && c != '\t')) {
          throw new StructuredFieldException("structured field: a character that is not printable ASCII at " + i);
        }
      }
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return atEnd() ? '\0' : s.charAt(pos);
    }

    void skipSpaces() {
      while (!atEnd() && s.charAt(pos) == ' ') {
        pos++;
      }
    }

    void skipOws() {
      while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    void expect(char c, String what) throws StructuredFieldException {
      if (peek() != c) {
        throw fail("expected " + what);
      }
      pos++;
    }

    StructuredFieldException fail(String what) {
      return new StructuredFieldException("structured field: " + what + " at position " + pos);
    }

    Member parseMember() throws StructuredFieldException {
      return peek() == '(' ? parseInnerList() : parseItem();
    }

    InnerList parseInnerList() throws StructuredFieldException {
      expect('(', "(");
      List<Item> items = new ArrayList<>();
      while (!atEnd()) {
        skipSpaces();
        if (peek() == ')') {
          pos++;
          return new InnerList(items, parseParameters());
        }
        items.add(parseItem());
        if (peek() != ' ' && peek() != ')') {
          throw fail("a space or ) after an inner list item");
        }
      }
      throw fail("an unterminated inner list");
    }

    Item parseItem() throws StructuredFieldException {
      BareItem value = parseBareItem();
      return new Item(value, parseParameters());
    }

    Parameters parseParameters() throws StructuredFieldException {
      Map<String, BareItem> params = new LinkedHashMap<>();
      while (peek() == ';') {
        pos++;
        skipSpaces();
        String key = parseKey();
        BareItem value = new SfBoolean(true);
        if (peek() == '=') {
          pos++;
          value = parseBareItem();
        }
        params.put(key, value);
      }
      return params.isEmpty() ? Parameters.EMPTY : new Parameters(params);
    }

    String parseKey() throws StructuredFieldException {
      char first = peek();
      if (!(isLcalpha(first) || first == '*')) {
        throw fail("a key starting with a lower-case letter or *");
      }
      int start = pos;
      while (!atEnd() && isKeyChar(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    BareItem parseBareItem() throws StructuredFieldException {
      char c = peek();
      if (c == '-' || isDigit(c)) {
        return parseNumber();
      }
      if (c == '"') {
        return parseString();
      }
      if (c == '*' || isAlpha(c)) {
        return parseToken();
      }
      if (c == ':') {
        return parseBytes();
      }
      if (c == '?') {
        return parseBoolean();
      }
      throw fail("a bare item");
    }

    BareItem parseNumber() throws StructuredFieldException {
      boolean negative = false;
      if (peek() == '-') {
        negative = true;
        pos++;
      }
      if (!isDigit(peek())) {
        throw fail("a digit");
      }
      int start = pos;
      boolean decimal = false;
      int integerDigits = 0;
      while (!atEnd()) {
        char c = s.charAt(pos);
        if (isDigit(c)) {
          pos++;
        } else if (!decimal && c == '.') {
          integerDigits = pos - start;
          if (integerDigits > 12) {
            throw fail("a decimal with more than 12 integer digits");
          }
          decimal = true;
          pos++;
        } else {
          break;
        }
        int length = pos - start;
        if (!decimal && length > 15) {
          throw fail("an integer with more than 15 digits");
        }
        if (decimal && length > 16) {
          throw fail("a decimal with more than 16 characters");
        }
      }
      String number = s.substring(start, pos);
      if (!decimal) {
        long v = Long.parseLong(number);
        return new SfInteger(negative ? -v : v);
      }
      if (number.endsWith(".")) {
        throw fail("a decimal ending in .");
      }
      if (number.length() - integerDigits - 1 > 3) {
        throw fail("a decimal with more than 3 fraction digits");
      }
      BigDecimal v = new BigDecimal(number);
      return new SfDecimal(negative ? v.negate() : v);
    }

    BareItem parseString() throws StructuredFieldException {
      pos++; // opening quote
      StringBuilder out = new StringBuilder();
      while (!atEnd()) {
        char c = s.charAt(pos++);
        if (c == '\\') {
          if (atEnd()) {
            throw fail("an unterminated string");
          }
          char next = s.charAt(pos++);
          if (next != '"' && next != '\\') {
            throw fail("an escape other than \\\" or \\\\");
          }
          out.append(next);
        } else if (c == '"') {
          return new SfString(out.toString());
        } else if (c < 0x20 || c > 0x7e) {
          throw fail("a character that is not printable ASCII in a string");
        } else {
          out.append(c);
        }
      }
      throw fail("an unterminated string");
    }

    BareItem parseToken() {
      int start = pos;
      pos++;
      while (!atEnd() && (isTchar(s.charAt(pos)) || s.charAt(pos) == ':' || s.charAt(pos) == '/')) {
        pos++;
      }
      return new SfToken(s.substring(start, pos));
    }

    BareItem parseBytes() throws StructuredFieldException {
      pos++; // opening colon
      int start = pos;
      while (!atEnd() && s.charAt(pos) != ':') {
        char c = s.charAt(pos);
        if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) {
          throw fail("a character outside base64 in a byte sequence");
        }
        pos++;
      }
      if (atEnd()) {
        throw fail("an unterminated byte sequence");
      }
      String b64 = s.substring(start, pos);
      pos++; // closing colon
      try {
        return new SfBytes(Base64.getDecoder().decode(b64));
      } catch (IllegalArgumentException e) {
        throw fail("invalid base64 in a byte sequence");
      }
    }

    BareItem parseBoolean() throws StructuredFieldException {
      pos++; // ?
      char c = peek();
      if (c == '1' || c == '0') {
        pos++;
        return new SfBoolean(c == '1');
      }
      throw fail("?0 or ?1");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Serialization (RFC 8941 section 4.1)

  /**
   * Serializes a List.
   *
   * @param members the members, in order; may be empty, not null
   * @return the canonical field value; empty for no member
   */
  public static String serializeList(List<? extends Member> members) {
    StringBuilder sb = new StringBuilder();
    for (Member m : members) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      serializeMember(m, sb);
    }
    return sb.toString();
  }

  /**
   * Serializes a Dictionary.
   *
   * @param members key to member, in the map's iteration order; may be empty, not null
   * @return the canonical field value; empty for no member
   * @throws IllegalArgumentException if a key is not an RFC 8941 key
   */
  public static String serializeDictionary(Map<String, ? extends Member> members) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ? extends Member> e : members.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(checkKey(e.getKey()));
      Member m = e.getValue();
      if (m instanceof Item item && item.value().equals(new SfBoolean(true))) {
        serializeParameters(item.parameters(), sb);
      } else {
        sb.append('=');
        serializeMember(m, sb);
      }
    }
    return sb.toString();
  }

  /**
   * Serializes an Item.
   *
   * @param item the item; not null
   * @return its canonical form, parameters included
   */
  public static String serializeItem(Item item) {
    StringBuilder sb = new StringBuilder();
    serializeMember(item, sb);
    return sb.toString();
  }

  /**
   * Serializes an Inner List.
   *
   * @param list the inner list; not null
   * @return its canonical form, parentheses and parameters included
   */
  public static String serializeInnerList(InnerList list) {
    StringBuilder sb = new StringBuilder();
    serializeMember(list, sb);
    return sb.toString();
  }

  /**
   * Serializes a bare item.
   *
   * @param value the bare item; not null
   * @return its canonical form, without parameters
   */
  public static String serializeBareItem(BareItem value) {
    StringBuilder sb = new StringBuilder();
    serializeBare(value, sb);
    return sb.toString();
  }

  private static void serializeMember(Member m, StringBuilder sb) {
    if (m instanceof InnerList list) {
      sb.append('(');
      for (int i = 0; i < list.items().size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        serializeMember(list.items().get(i), sb);
      }
      sb.append(')');
    } else {
      serializeBare(((Item) m).value(), sb);
    }
    serializeParameters(m.parameters(), sb);
  }

  private static void serializeParameters(Parameters params, StringBuilder sb) {
    for (Map.Entry<String, BareItem> e : params.map().entrySet()) {
      sb.append(';').append(e.getKey());
      if (!e.getValue().equals(new SfBoolean(true))) {
        sb.append('=');
        serializeBare(e.getValue(), sb);
      }
    }
  }

  private static void serializeBare(BareItem value, StringBuilder sb) {
    if (value instanceof SfInteger i) {
      sb.append(i.value());
    } else if (value instanceof SfDecimal d) {
      String plain = d.value().stripTrailingZeros().toPlainString();
      sb.append(plain.contains(".") ? plain : plain + ".0");
    } else if (value instanceof SfString str) {
      sb.append('"');
      for (int i = 0; i < str.value().length(); i++) {
        char c = str.value().charAt(i);
        if (c == '"' || c == '\\') {
          sb.append('\\');
        }
        sb.append(c);
      }
      sb.append('"');
    } else if (value instanceof SfToken t) {
      sb.append(t.value());
    } else if (value instanceof SfBytes b) {
      sb.append(':').append(Base64.getEncoder().encodeToString(b.value)).append(':');
    } else if (value instanceof SfBoolean bool) {
      sb.append(bool.value() ? "?1" : "?0");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Character classes

  static String checkKey(String key) {
    if (key.isEmpty() || !(isLcalpha(key.charAt(0)) || key.charAt(0) == '*')) {
      throw new IllegalArgumentException("an sf-key starts with a lower-case letter or *");
    }
    for (int i = 1; i < key.length(); i++) {
      if (!isKeyChar(key.charAt(i))) {
        throw new IllegalArgumentException("an sf-key holds a-z 0-9 _ - . * only");
      }
    }
    return key;
  }

  private static boolean isKeyChar(char c) {
    return isLcalpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
  }

  private static boolean isLcalpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** RFC 9110 tchar. */
  private static boolean isTchar(char c) {
    return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
