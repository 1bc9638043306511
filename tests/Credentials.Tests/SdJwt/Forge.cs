using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>Builds hostile tokens by hand: raw header and payload text, signed (or not) as the attacker chooses.</summary>
internal static class Forge
{
    public static string B64(string text) => Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(text));

    public static string B64(JsonNode node) => Base64UrlStrict.Encode(StrictJson.Serialize(node));

    public static async Task<string> SignAsync(string headerJson, string payloadJson, EcdsaJwsSigner key)
    {
        var input = B64(headerJson) + "." + B64(payloadJson);
        var sig = await key.SignAsync(key.Reference, Encoding.ASCII.GetBytes(input), CancellationToken.None);
        return input + "." + Base64UrlStrict.Encode(sig.Value);
    }

    public static Task<string> SignAsync(JsonObject header, JsonObject payload, EcdsaJwsSigner key) =>
        SignAsync(header.ToJsonString(), payload.ToJsonString(), key);

    /// <summary>The parts of an issued credential, decoded, so a test can change one thing and re-sign.</summary>
    public static (JsonObject Header, JsonObject Payload, List<string> Disclosures) Open(IssuedSdJwt issued)
    {
        Assert.True(CompactJws.TryParse(issued.IssuerJwt, out var jws, out _));
        return (jws.Header.DeepClone().AsObject(), jws.Payload.DeepClone().AsObject(), issued.Disclosures.Select(d => d.Encoded).ToList());
    }

    public static string Join(string jwt, IEnumerable<string> disclosures, string kb = "") =>
        jwt + "~" + string.Concat(disclosures.Select(d => d + "~")) + kb;

    /// <summary>Adds a KB-JWT made by <paramref name="holder"/> over exactly <paramref name="sdJwt"/>.</summary>
    public static async Task<string> BindAsync(string sdJwt, EcdsaJwsSigner holder, JsonObject? payload = null, string typ = "kb+jwt", DateTimeOffset? iat = null)
    {
        payload ??= new JsonObject
        {
            ["iat"] = (iat ?? new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero)).ToUnixTimeSeconds(),
            ["aud"] = TestIssuer.Audience,
            ["nonce"] = TestIssuer.Nonce,
            ["sd_hash"] = SdJwtVcVerifier.SdHash(sdJwt),
        };
        return sdJwt + await SignAsync(new JsonObject { ["alg"] = "ES256", ["typ"] = typ }, payload, holder);
    }

    public static string FlipCase(string text, int index)
    {
        var chars = text.ToCharArray();
        chars[index] = char.IsUpper(chars[index]) ? char.ToLowerInvariant(chars[index]) : char.ToUpperInvariant(chars[index]);
        return new string(chars);
    }

    public static byte[] Der(byte[] rawRs)
    {
        static byte[] Int(ReadOnlySpan<byte> v)
        {
            var trimmed = v.TrimStart((byte)0);
            var needsPad = trimmed.Length > 0 && trimmed[0] >= 0x80;
            var result = new byte[2 + trimmed.Length + (needsPad ? 1 : 0)];
            result[0] = 0x02;
            result[1] = (byte)(trimmed.Length + (needsPad ? 1 : 0));
            trimmed.CopyTo(result.AsSpan(2 + (needsPad ? 1 : 0)));
            return result;
        }
        var r = Int(rawRs.AsSpan(0, 32));
        var s = Int(rawRs.AsSpan(32, 32));
        return [0x30, (byte)(r.Length + s.Length), .. r, .. s];
    }
}
