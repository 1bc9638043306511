using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Passport.Credentials.Jose;

/// <summary>
/// A small JSON object whose members are all strings, numbers, <c>true</c>, <c>false</c> or <c>null</c> (a JWS header, a
/// KB-JWT payload), read once with <see cref="Utf8JsonReader"/> and answered from the bytes without a DOM. Only clean text is
/// read: valid UTF-8 with no backslash (so no escapes), no duplicate member name, nothing after the object. Anything else is
/// declined, and the caller parses it with <see cref="StrictJson"/>, which decides and names the flaw; so this never accepts
/// a text that the strict parser refuses, and answers every lookup as the strict parser's <see cref="JsonObject"/> does.
/// </summary>
internal sealed class FlatJsonObject
{
    private const int MaxMembers = 16;

    private readonly byte[] _utf8;
    private readonly Member[] _members;

    private FlatJsonObject(byte[] utf8, Member[] members)
    {
        _utf8 = utf8;
        _members = members;
    }

    private readonly record struct Member(int NameStart, int NameLength, JsonTokenType Type, int ValueStart, int ValueLength, bool IsInt64, long Int64);

    public static bool TryRead(ReadOnlySpan<byte> utf8, out FlatJsonObject? obj)
    {
        obj = null;
        if (utf8.IndexOf((byte)'\\') >= 0 || !Utf8.IsValid(utf8))
            return false;
        Span<Member> members = stackalloc Member[MaxMembers];
        var count = 0;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = StrictJson.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (true)
            {
                if (!reader.Read())
                    return false;
                if (reader.TokenType == JsonTokenType.EndObject)
                    break;
                if (count == MaxMembers)
                    return false;
                // Without escapes a name's bytes are the name, so equal bytes are equal names.
                var nameStart = (int)reader.TokenStartIndex + 1;
                var name = reader.ValueSpan;
                for (var i = 0; i < count; i++)
                {
                    if (utf8.Slice(members[i].NameStart, members[i].NameLength).SequenceEqual(name))
                        return false;
                }
                if (!reader.Read())
                    return false;
                var type = reader.TokenType;
                if (type is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                    return false;
                var valueStart = (int)reader.TokenStartIndex + (type == JsonTokenType.String ? 1 : 0);
                long int64 = 0;
                var isInt64 = type == JsonTokenType.Number && reader.TryGetInt64(out int64);
                members[count++] = new Member(nameStart, name.Length, type, valueStart, reader.ValueSpan.Length, isInt64, int64);
            }
            if (reader.Read())
                return false;
        }
        catch (JsonException)
        {
            return false;
        }
        obj = new FlatJsonObject(utf8.ToArray(), members[..count].ToArray());
        return true;
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>As <c>JsonObject.GetString</c>: the value when the member is a string, otherwise null.</summary>
    public string? GetString(string name) =>
        IndexOf(name) is var i and >= 0 && _members[i].Type == JsonTokenType.String
            ? Encoding.UTF8.GetString(_utf8, _members[i].ValueStart, _members[i].ValueLength)
            : null;

    /// <summary>
    /// As <see cref="GetString"/> compared with <paramref name="expected"/> (ordinally, or in time that does not depend on
    /// where they differ), without making the string: null when the member is absent or not a string. Without escapes a
    /// string's bytes are its UTF-8, so equal bytes are equal strings.
    /// </summary>
    public bool? StringEquals(string name, ReadOnlySpan<char> expected, bool fixedTime)
    {
        var i = IndexOf(name);
        if (i < 0 || _members[i].Type != JsonTokenType.String)
            return null;
        var value = _utf8.AsSpan(_members[i].ValueStart, _members[i].ValueLength);
        Span<byte> buffer = expected.Length <= 256 ? stackalloc byte[expected.Length * 3] : new byte[expected.Length * 3];
        // A lone surrogate has no UTF-8: such an expected string equals no member's value, as the strings would not.
        if (Utf8.FromUtf16(expected, buffer, out _, out var written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
            return false;
        return fixedTime
            ? System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(value, buffer[..written])
            : value.SequenceEqual(buffer[..written]);
    }

    /// <summary>As <c>JsonObject.TryGetNumericDate</c> on the parsed object.</summary>
    public bool TryGetNumericDate(string name, out long value, out bool present)
    {
        value = 0;
        var i = IndexOf(name);
        present = i >= 0;
        if (!present || _members[i].Type != JsonTokenType.Number)
            return false;
        if (_members[i].IsInt64)
        {
            value = _members[i].Int64;
            return true;
        }
        // A fraction or an exponent: rare, so answered by the parsed object itself.
        return ToJsonObject().TryGetNumericDate(name, out value, out present);
    }

    /// <summary>The object as <see cref="StrictJson"/> parses it.</summary>
    public JsonObject ToJsonObject() => JsonNode.Parse(_utf8, documentOptions: StrictJson.NodeOptions)!.AsObject();

    private int IndexOf(string name)
    {
        // Member names asked for are short constants.
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length)];
        var wanted = buffer[..Encoding.UTF8.GetBytes(name, buffer)];
        for (var i = 0; i < _members.Length; i++)
        {
            if (_utf8.AsSpan(_members[i].NameStart, _members[i].NameLength).SequenceEqual(wanted))
                return i;
        }
        return -1;
    }
}
