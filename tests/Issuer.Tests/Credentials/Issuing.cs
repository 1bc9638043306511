using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Issuer.Keys;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Credentials;

internal static class Issuing
{
    public static Task<HttpResponseMessage> IssueAsync(HttpClient hr, Guid staffId, string type, JsonObject claims, string? sourceReference = null, string? reason = null) =>
        hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"), new JsonObject
        {
            ["type"] = type, ["sourceReference"] = sourceReference, ["claims"] = claims, ["reason"] = reason,
        });

    /// <summary>Verifies an SD-JWT VC as a verifier would, trusting only the organisation's published keys.</summary>
    public static async Task<VerifiedCredential> VerifyAsync(IssuerApp app, string ods, string sdJwt)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var jwks = await scope.ServiceProvider.GetRequiredService<SigningKeys>().GetPublishedAsync(ods, CancellationToken.None);
        var resolver = new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet> { [$"{IssuerApp.PublicBaseUrl}issuers/{ods}"] = jwks });
        var result = await new SdJwtVcVerifier(resolver, TimeProvider.System).VerifyAsync(sdJwt, PresentationPolicy.WithoutKeyBinding, CancellationToken.None);
        Assert.True(result.IsValid, result.Error?.ToString());
        return result.Credential!;
    }
}
