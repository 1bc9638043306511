using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.Verifier.Agreements;
using Passport.Verifier.Tests.Agreements;

namespace Passport.Verifier.Tests.Deployments;

/// <summary>
/// Every route that takes a role and dates under an agreement (a presentation request, direct verification, a new deployment,
/// mutual aid raised by the host) refuses the same breach of its terms on the same field with the same sentence.
/// </summary>
public sealed class AgreementTermsEverywhereTests(DeploymentsFixture fixture) : IClassFixture<DeploymentsFixture>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private async Task<IReadOnlyList<(string Route, string? Message)>> EndMessagesAsync(DateOnly start, DateOnly end)
    {
        var (host, home) = (DeploymentsFixture.Ods(), DeploymentsFixture.Ods());
        var json = SampleAgreement.Json(host, home);
        json["maxDeploymentDays"] = 30;
        json["homeApprovalRequired"] = false;
        json["hostMayRaiseMutualAid"] = true;
        var created = await fixture.App.ClientFor(host, "org_admin").PostAsJsonAsync(new Uri("/api/agreements", UriKind.Relative), json);
        created.EnsureSuccessStatusCode();
        var agreement = (await created.Content.ReadFromJsonAsync<AgreementResponse>())!.Id;
        var decision = await fixture.DecisionAsync(host, home, agreement, start, end, statuses: [("https://x.example/s/1", 1)]);
        var client = fixture.App.ClientFor(host, "verifier");
        var terms = new JsonObject
        {
            ["agreementId"] = agreement, ["role"] = SampleAgreement.Role, ["start"] = SampleClaims.Day(start), ["end"] = SampleClaims.Day(end),
        };
        JsonObject With(params (string Name, JsonNode? Value)[] more)
        {
            var body = (JsonObject)terms.DeepClone();
            foreach (var (name, value) in more)
                body[name] = value;
            return body;
        }

        var routes = new (string Route, JsonObject Body)[]
        {
            ("/api/presentation-requests", With()),
            ("/api/verify", With(("presentations", new JsonArray("x~")), ("nonce", new string('n', 20)), ("audience", $"{VerifierApp.PublicBaseUrl}verifiers/{host}"))),
            ("/api/deployments", With(("decisionId", decision), ("homeOdsCode", home), ("staffId", DeploymentsFixture.StaffId), ("hostSite", "Ward 1"))),
            ("/api/mutual-aid", With(("homeOdsCode", home), ("staffIds", new JsonArray(Guid.NewGuid())))),
        };
        var messages = new List<(string, string?)>();
        foreach (var (route, body) in routes)
        {
            var response = await client.PostAsJsonAsync(new Uri(route, UriKind.Relative), body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{route}: {response.StatusCode}");
            var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
            messages.Add((route, errors["end"]?[0]?.GetValue<string>()));
        }
        return messages;
    }

    [Fact]
    public async Task A_deployment_longer_than_the_agreements_maximum_is_refused_on_end_with_one_sentence_by_every_route()
    {
        var messages = await EndMessagesAsync(Today.AddDays(1), Today.AddDays(31));

        Assert.All(messages, m => Assert.Equal((m.Route, "The agreement allows deployments of at most 30 days; this one is 31."), m));
    }

    [Fact]
    public async Task A_deployment_ending_after_the_agreements_period_is_refused_on_end_with_one_sentence_by_every_route()
    {
        var messages = await EndMessagesAsync(new DateOnly(2099, 12, 28), new DateOnly(2100, 1, 3));

        Assert.All(messages, m => Assert.Equal((m.Route, "The deployment must fall within the agreement's period, 2020-01-01 to 2099-12-31."), m));
    }
}
