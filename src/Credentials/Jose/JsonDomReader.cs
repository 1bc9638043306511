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
            List<Number>? numbers = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !TryReadMembers(ref reader, ref numbers, out var read) || reader.Read())
                return false;
            if (numbers is not null)
                PlaceNumbers(utf8, numbers);
            obj = read;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A number's place (its object and name, or its array and index) and where its text lies, filled in at the end.
    private readonly record struct Number(JsonNode Parent, string? Name, int Index, int Start, int Length);

    // Every number of the object is parsed as an element of one small document, so that each reads as every numeric type it
    // fits, exactly as the strict parser's numbers do (a JsonValue made from a long does not read as an int or a double),
    // and a payload's two or three numbers cost one document, not one each.
    private static void PlaceNumbers(ReadOnlySpan<byte> utf8, List<Number> numbers)
    {
        var length = 1 + numbers.Sum(n => n.Length + 1);
        Span<byte> text = length <= 512 ? stackalloc byte[length] : new byte[length];
        text[0] = (byte)'[';
        var at = 1;
        foreach (var number in numbers)
        {
            utf8.Slice(number.Start, number.Length).CopyTo(text[at..]);
            at += number.Length;
            text[at++] = (byte)',';
        }
        text[at - 1] = (byte)']';
        var reader = new Utf8JsonReader(text, Options);
        var elements = JsonElement.ParseValue(ref reader);
        var i = 0;
        foreach (var element in elements.EnumerateArray())
        {
            var number = numbers[i++];
            var value = JsonValue.Create(element);
            if (number.Parent is JsonObject o)
                o[number.Name!] = value;
            else
                ((JsonArray)number.Parent)[number.Index] = value;
        }
    }

    private static bool TryReadMembers(ref Utf8JsonReader reader, ref List<Number>? numbers, out JsonObject obj)
    {
        obj = [];
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
                return true;
            var name = reader.GetString()!;
            if (!reader.Read() || !TryReadValue(ref reader, ref numbers, out var value) || !obj.TryAdd(name, value))
                return false;
            if (reader.TokenType == JsonTokenType.Number)
                (numbers ??= []).Add(new Number(obj, name, 0, (int)reader.TokenStartIndex, reader.ValueSpan.Length));
        }
        return false;
    }

    private static bool TryReadElements(ref Utf8JsonReader reader, ref List<Number>? numbers, out JsonArray array)
    {
        array = [];
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
                return true;
            if (!TryReadValue(ref reader, ref numbers, out var value))
                return false;
            if (reader.TokenType == JsonTokenType.Number)
                (numbers ??= []).Add(new Number(array, null, array.Count, (int)reader.TokenStartIndex, reader.ValueSpan.Length));
            array.Add(value);
        }
        return false;
    }

    private static bool TryReadValue(ref Utf8JsonReader reader, ref List<Number>? numbers, out JsonNode? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = JsonValue.Create(reader.GetString()!);
                return true;
            case JsonTokenType.Number:
                // A place held for now (see PlaceNumbers).
                return true;
            case JsonTokenType.True or JsonTokenType.False:
                value = JsonValue.Create(reader.TokenType == JsonTokenType.True);
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartObject:
                var ok = TryReadMembers(ref reader, ref numbers, out var obj);
                value = obj;
                return ok;
            case JsonTokenType.StartArray:
                ok = TryReadElements(ref reader, ref numbers, out var array);
                value = array;
                return ok;
            default:
                return false;
        }
    }
}
