using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Passport.Credentials.Jose;

/// <summary>JSON parsing that refuses duplicate member names (RFC 7515 §4, RFC 9901 §4.2) and deep nesting.</summary>
public static class StrictJson
{
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Serialises with literal UTF-8 (no \u escapes for non-ASCII), as issuers commonly do.</summary>
    public static readonly JsonSerializerOptions WriteOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool TryParseObject(ReadOnlySpan<byte> utf8, out JsonObject obj, out bool duplicate)
    {
        obj = [];
        duplicate = false;
        try
        {
            if (JsonNode.Parse(utf8, documentOptions: DocumentOptions) is not JsonObject parsed)
                return false;
            // JsonNode materialises lazily; touching every member surfaces duplicates now, not later.
            Touch(parsed);
            obj = parsed;
            return true;
        }
        catch (JsonException e) when (e.Message.Contains("Duplicate", StringComparison.Ordinal))
        {
            duplicate = true;
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static bool TryParseNode(ReadOnlySpan<byte> utf8, out JsonNode? node, out bool duplicate)
    {
        node = null;
        duplicate = false;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: DocumentOptions);
            Touch(node);
            return true;
        }
        catch (JsonException e) when (e.Message.Contains("Duplicate", StringComparison.Ordinal))
        {
            duplicate = true;
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void Touch(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, v) in o) Touch(v);
                break;
            case JsonArray a:
                foreach (var v in a) Touch(v);
                break;
        }
    }

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, WriteOptions);
}
