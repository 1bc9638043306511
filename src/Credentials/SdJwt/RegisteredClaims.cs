using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>
/// The registered claims of a credential's payload as the issuer signed them, taken before the disclosures are applied: the
/// verifier applies them to the payload itself (<see cref="DisclosureWalker.ProcessInPlace"/>), and its checks of exp, nbf,
/// iat, vct, cnf and status must still see the signed payload, not a disclosed claim of the same name.
/// </summary>
internal sealed class RegisteredClaims
{
    private RegisteredClaims(JsonObject payload)
    {
        Exp = Claim.Of(payload, "exp");
        Nbf = Claim.Of(payload, "nbf");
        Iat = Claim.Of(payload, "iat");
        Vct = Claim.Of(payload, "vct");
        Cnf = Claim.Of(payload, "cnf");
        Status = Claim.Of(payload, "status");
    }

    public Claim Exp { get; }
    public Claim Nbf { get; }
    public Claim Iat { get; }
    public Claim Vct { get; }
    public Claim Cnf { get; }
    public Claim Status { get; }

    public static RegisteredClaims Of(JsonObject payload) => new(payload);
}

/// <summary>One member of an object: whether it is there, and its value (which may be JSON null).</summary>
internal readonly record struct Claim(bool Present, JsonNode? Value)
{
    public static Claim Of(JsonObject o, string name) => o.TryGetPropertyValue(name, out var v) ? new(true, v) : default;

    public string? String => JsonObjectExtensions.AsString(Value);

    public bool TryGetNumericDate(out long value)
    {
        value = 0;
        return Present && JsonObjectExtensions.TryGetNumericDate(Value, out value);
    }
}
