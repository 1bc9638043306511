using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.OpenId4Vp;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.OpenId4Vp;

public sealed class HostedWalletAttestationTests
{
    private const string Issuer = "https://passport.example.nhs.uk/issuers/RHQ";
    private const string Audience = "x509_hash:abc";
    private const string Nonce = "nonce-1";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private readonly EcdsaJwsSigner _issuerKey = EcdsaJwsSigner.Generate("issuer-key-1");
    private readonly EcdsaJwsSigner _holder = EcdsaJwsSigner.Generate("holder");

    [Fact]
    public async Task A_well_formed_attestation_verifies_and_names_the_consent()
    {
        var (attestation, error) = await VerifyAsync(await SignAsync(Attestation()));

        Assert.Null(error);
        Assert.Equal("phone", attestation!.ConsentMethod);
        Assert.Equal("hr-rhq", attestation.ConsentRecordedBy);
        Assert.Equal(_holder.PublicJwk.Thumbprint(), attestation.HolderKey.Thumbprint());
    }

    [Fact]
    public async Task An_attestation_for_another_audience_is_refused()
    {
        var (_, error) = await VerifyAsync(await SignAsync(Attestation() with { Audience = "x509_hash:other" }));

        Assert.Equal(ErrorCodes.AudienceMismatch, error!.Code);
    }

    [Fact]
    public async Task An_attestation_for_another_nonce_is_refused()
    {
        var (_, error) = await VerifyAsync(await SignAsync(Attestation() with { Nonce = "nonce-2" }));

        Assert.Equal(ErrorCodes.NonceMismatch, error!.Code);
    }

    [Fact]
    public async Task An_expired_attestation_is_refused()
    {
        var (_, error) = await VerifyAsync(await SignAsync(Attestation() with { IssuedAt = Now.AddMinutes(-10) }));

        Assert.Equal(ErrorCodes.Expired, error!.Code);
    }

    [Fact]
    public async Task An_attestation_issued_in_the_future_is_refused()
    {
        var (_, error) = await VerifyAsync(await SignAsync(Attestation() with { IssuedAt = Now.AddMinutes(5) }));

        Assert.Equal(ErrorCodes.IssuedInFuture, error!.Code);
    }

    [Fact]
    public async Task Consent_given_to_HR_must_name_who_recorded_it()
    {
        var (_, error) = await VerifyAsync(await SignAsync(Attestation() with { ConsentRecordedBy = null }));

        Assert.Equal(ErrorCodes.InvalidClaim, error!.Code);
    }

    [Fact]
    public async Task An_attestation_signed_by_a_key_the_issuer_did_not_publish_is_refused()
    {
        var stranger = EcdsaJwsSigner.Generate("issuer-key-1");

        var (_, error) = await VerifyAsync(await Attestation().SignAsync(stranger, stranger.Reference, CancellationToken.None));

        Assert.Equal(ErrorCodes.InvalidSignature, error!.Code);
    }

    [Fact]
    public async Task An_attestation_of_another_type_is_refused()
    {
        var jwt = await CompactJws.SignAsync(new JsonObject { ["typ"] = "kb+jwt", ["kid"] = _issuerKey.KeyId }, new JsonObject { ["iss"] = Issuer },
            _issuerKey, _issuerKey.Reference, CancellationToken.None);

        var (_, error) = await VerifyAsync(jwt);

        Assert.Equal(ErrorCodes.InvalidType, error!.Code);
    }

    [Fact]
    public async Task An_attestation_from_an_untrusted_issuer_is_refused()
    {
        var (_, error) = await VerifyAsync(await SignAsync(Attestation() with { Issuer = "https://elsewhere.example/issuers/ZZZ" }));

        Assert.Equal(ErrorCodes.UntrustedIssuer, error!.Code);
    }

    [Fact]
    public async Task Text_that_is_not_a_jws_is_refused()
    {
        var (_, error) = await VerifyAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("not a jwt")));

        Assert.Equal(ErrorCodes.MalformedJwt, error!.Code);
    }

    private HostedWalletAttestation Attestation() =>
        new(Issuer, "staff-1", Audience, Nonce, Now, _holder.PublicJwk, ConsentMethods.Phone, Now.AddHours(-1), "hr-rhq");

    private ValueTask<string> SignAsync(HostedWalletAttestation attestation) => attestation.SignAsync(_issuerKey, _issuerKey.Reference, CancellationToken.None);

    private ValueTask<(HostedWalletAttestation?, CredentialError?)> VerifyAsync(string jwt) =>
        HostedWalletAttestation.VerifyAsync(jwt, new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet> { [Issuer] = new([_issuerKey.PublicJwk]) }),
            Audience, Nonce, Now, CancellationToken.None);
}
