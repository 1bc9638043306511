using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Passport.Credentials.Jose;

/// <summary>What is wrong with a JSON text, if anything.</summary>
public enum JsonFlaw
{
    None,
    Malformed,
    InvalidUtf8,
    DuplicateMember,
    ControlCharacter,
}

/// <summary>The first flaw found and where: a JSONPath such as <c>$.claims.name</c> or <c>$.list[2]</c>.</summary>
public readonly record struct JsonInspection(JsonFlaw Flaw, string Path)
{
    public static readonly JsonInspection Sound = new(JsonFlaw.None, "$");

    public bool IsSound => Flaw == JsonFlaw.None;
}

/// <summary>
/// JSON parsing that refuses what a lenient reader would half-read: text that is not UTF-8 (RFC 8259 §8.1), duplicate member
/// names (RFC 7515 §4, RFC 9901 §4.2), deep nesting, and, when asked, control characters in strings.
/// </summary>
public static class StrictJson
{
    public const int MaxDepth = 32;

    /// <summary>The parser's options: no duplicate member names, no comments or trailing commas, at most <see cref="MaxDepth"/> deep.</summary>
    internal static JsonDocumentOptions NodeOptions => DocumentOptions;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Serialises with literal UTF-8 (no \u escapes for non-ASCII), as issuers commonly do.</summary>
    public static readonly JsonSerializerOptions WriteOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Reads the whole text once and reports its first flaw. With <paramref name="refuseControlCharacters"/>, strings and
    /// member names may not hold C0 or C1 control characters other than tab, line feed and carriage return.
    /// </summary>
    public static JsonInspection Inspect(ReadOnlySpan<byte> utf8, bool refuseControlCharacters = false)
    {
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        NextValue(frames);
                        frames.Add(new Frame(new HashSet<string>(StringComparer.Ordinal)));
                        break;
                    case JsonTokenType.StartArray:
                        NextValue(frames);
                        frames.Add(new Frame(null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var owner = frames[^1];
                        owner.Name = null;
                        if (!TryGetText(ref reader, out var name))
                            return new(JsonFlaw.InvalidUtf8, PathOf(frames));
                        if (refuseControlCharacters && HasControlCharacter(name))
                            return new(JsonFlaw.ControlCharacter, PathOf(frames));
                        owner.Name = name;
                        if (!owner.Names!.Add(name))
                            return new(JsonFlaw.DuplicateMember, PathOf(frames));
                        break;
                    case JsonTokenType.String:
                        NextValue(frames);
                        if (!TryGetText(ref reader, out var text))
                            return new(JsonFlaw.InvalidUtf8, PathOf(frames));
                        if (refuseControlCharacters && HasControlCharacter(text))
                            return new(JsonFlaw.ControlCharacter, PathOf(frames));
                        break;
                    default:
                        NextValue(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The reader does not check UTF-8 outside strings; a stray byte there surfaces as a syntax error.
            return new(Utf8.IsValid(utf8) ? JsonFlaw.Malformed : JsonFlaw.InvalidUtf8, "$");
        }
        return Utf8.IsValid(utf8) ? JsonInspection.Sound : new(JsonFlaw.InvalidUtf8, "$");
    }

    public static bool TryParseObject(ReadOnlySpan<byte> utf8, out JsonObject obj, out JsonInspection inspection)
    {
        obj = [];
        if (!TryParseNode(utf8, out var node, out inspection))
            return false;
        if (node is not JsonObject parsed)
        {
            inspection = new(JsonFlaw.Malformed, "$");
            return false;
        }
        obj = parsed;
        return true;
    }

    public static bool TryParseNode(ReadOnlySpan<byte> utf8, out JsonNode? node, out JsonInspection inspection)
    {
        // Fast path for the common text: valid UTF-8 without escapes cannot hold a lone surrogate, so the parser's own checks
        // (syntax, depth, duplicate member names) are all that Inspect would add. Anything it refuses is inspected for its flaw.
        if (utf8.IndexOf((byte)'\\') < 0 && Utf8.IsValid(utf8))
        {
            try
            {
                node = JsonNode.Parse(utf8, documentOptions: DocumentOptions);
                inspection = JsonInspection.Sound;
                return true;
            }
            catch (JsonException)
            {
            }
        }
        node = null;
        inspection = Inspect(utf8);
        if (!inspection.IsSound)
            return false;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: DocumentOptions);
            return true;
        }
        catch (JsonException)
        {
            inspection = new(JsonFlaw.Malformed, "$");
            return false;
        }
    }

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, WriteOptions);

    /// <summary>C0 and C1 controls and DEL, except tab, line feed and carriage return, which text fields may hold.</summary>
    public static bool HasControlCharacter(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
                return true;
        }
        return false;
    }

    private static bool TryGetText(ref Utf8JsonReader reader, out string text)
    {
        try
        {
            // Transcoding checks the UTF-8 and, after unescaping, the UTF-16: a lone surrogate escape fails here.
            text = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static void NextValue(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].Names is null)
            frames[^1].Index++;
    }

    private static string PathOf(List<Frame> frames)
    {
        var path = new StringBuilder("$");
        foreach (var frame in frames)
        {
            if (frame.Names is null)
                path.Append('[').Append(frame.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else if (frame.Name is { } name)
                path.Append(IsPlainName(name) ? "." + name : "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']");
        }
        return path.ToString();
    }

    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private sealed class Frame(HashSet<string>? names)
    {
        public HashSet<string>? Names { get; } = names;
        public string? Name { get; set; }
        public int Index { get; set; } = -1;
    }
}
