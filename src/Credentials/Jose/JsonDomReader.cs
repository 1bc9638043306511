using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Passport.Credentials.Jose;

/// <summary>
/// Builds a JSON object's DOM in one <see cref="Utf8JsonReader"/> pass, for clean text only: valid UTF-8 without a backslash,
/// no duplicate member name at any depth, at most <see cref="StrictJson.MaxDepth"/> deep, nothing after the object. Strings
/// and literals become plain values and numbers parsed values, as <see cref="Passport.Credentials.SdJwt.Disclosure"/>'s reader
/// makes them; there is no intermediate document to build, index and then copy. Anything else is declined, and the caller
/// parses it with <see cref="StrictJson"/>, which decides and names the flaw.
/// </summary>
internal static class JsonDomReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = StrictJson.MaxDepth };

    public static bool TryReadObject(ReadOnlySpan<byte> utf8, out JsonObject? obj)
    {
        obj = null;
        if (utf8.IndexOf((byte)'\\') >= 0 || !Utf8.IsValid(utf8))
            return false;
        try
        {
            var reader = new Utf8JsonReader(utf8, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !TryReadMembers(ref reader, out var read) || reader.Read())
                return false;
            obj = read;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryReadMembers(ref Utf8JsonReader reader, out JsonObject obj)
    {
        obj = [];
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
                return true;
            var name = reader.GetString()!;
            if (!reader.Read() || !TryReadValue(ref reader, out var value) || !obj.TryAdd(name, value))
                return false;
        }
        return false;
    }

    private static bool TryReadElements(ref Utf8JsonReader reader, out JsonArray array)
    {
        array = [];
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
                return true;
            if (!TryReadValue(ref reader, out var value))
                return false;
            array.Add(value);
        }
        return false;
    }

    private static bool TryReadValue(ref Utf8JsonReader reader, out JsonNode? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = JsonValue.Create(reader.GetString()!);
                return true;
            case JsonTokenType.Number:
                // Parsed, so that a number reads as every numeric type it fits, as the strict parser's numbers do.
                value = JsonNode.Parse(reader.ValueSpan, documentOptions: StrictJson.NodeOptions);
                return true;
            case JsonTokenType.True or JsonTokenType.False:
                value = JsonValue.Create(reader.TokenType == JsonTokenType.True);
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartObject:
                var ok = TryReadMembers(ref reader, out var obj);
                value = obj;
                return ok;
            case JsonTokenType.StartArray:
                ok = TryReadElements(ref reader, out var array);
                value = array;
                return ok;
            default:
                return false;
        }
    }
}
