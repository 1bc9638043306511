using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Passport.Credentials.Jose;
using Passport.Verifier.Tests.Agreements;

namespace Passport.Verifier.Tests.Decisions;

/// <summary>How many times one decision goes to the database: the round trips are the Verifier's cost, not the cryptography.</summary>
public sealed class DecisionQueryTests(VerifierTestbed bed) : IClassFixture<VerifierTestbed>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string ClientIdFor(string ods) => new Uri(new Uri(VerifierApp.PublicBaseUrl), $"verifiers/{ods}").ToString();

    private async Task<HttpResponseMessage> DecideAsync(string own, TestIssuer home, Guid agreementId, EcdsaJwsSigner holder, IReadOnlyCollection<TestCredential> credentials)
    {
        var nonce = Base64UrlStrict.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var presentations = await Task.WhenAll(credentials.Select(c => c.PresentAsync(holder, ClientIdFor(own), nonce)));
        using var client = bed.App.ClientFor(own, "verifier");
        return await client.PostAsJsonAsync(new Uri("/api/verify", UriKind.Relative), new JsonObject
        {
            ["presentations"] = new JsonArray([.. presentations.Select(p => (JsonNode)p)]),
            ["nonce"] = nonce,
            ["audience"] = ClientIdFor(own),
            ["agreementId"] = agreementId,
            ["role"] = SampleAgreement.Role,
            ["start"] = SampleClaims.Day(Today.AddDays(7)),
            ["end"] = SampleClaims.Day(Today.AddDays(36)),
        });
    }

    [Fact]
    public async Task Deciding_several_credentials_reads_their_status_notices_in_one_query()
    {
        var home = bed.NewIssuer();
        var own = Ods.New();
        var agreementId = await bed.CreateAgreementAsync(own, home.Ods);
        var holder = EcdsaJwsSigner.Generate("holder");
        var credentials = new List<TestCredential>();
        foreach (var (_, type, claims) in SampleClaims.All(Today))
            credentials.Add(await home.IssueAsync(type, claims, holder));
        Assert.True(credentials.Count >= 3);
        Assert.Equal(HttpStatusCode.Created, (await DecideAsync(own, home, agreementId, holder, credentials)).StatusCode);

        using var sent = new NpgsqlOperations(bed.App.Database.Name);
        var response = await DecideAsync(own, home, agreementId, holder, credentials);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, sent.Texts.Count(t => t.Contains("status_notices", StringComparison.Ordinal)));
    }
}
