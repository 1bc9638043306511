using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Verifier.Tests.Agreements;
using Passport.Verifier.Tests.Decisions;
using Passport.Verifier.Tests.Trust;

namespace Passport.Verifier.Tests.Presentations;

/// <summary>
/// The Verifier on a real loopback port (Kestrel, plain http; allowed in Testing only) beside a loopback issuer, so that a
/// wallet in another process, built on npm libraries we did not write, can fetch our request and post its answer.
/// </summary>
public sealed class LoopbackVerifier : IAsyncLifetime
{
    public VerifierApp App { get; } = new();
    public TestIssuerServer Server { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestIssuerServer.StartAsync();
        // A free port chosen up front, because the public base URL (response_uri, request_uri) must name it before the host starts.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
            probe.Stop();
        }
        App.UseKestrel(BaseAddress.Port);
        App.Settings["Verifier:PublicBaseUrl"] = BaseAddress.ToString();
        App.Settings["Verifier:Trust:IssuerBaseUrl"] = Server.BaseAddress.ToString();
        App.Settings["Verifier:Trust:AllowHttp"] = "true";
        App.Settings["Verifier:Trust:AllowPrivateNetworks"] = "true";
        App.StartServer();
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        await Server.DisposeAsync();
    }

    public HttpClient ClientFor(string ods)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", App.Tokens.Mint(ods, ["verifier", "org_admin"]));
        return client;
    }
}

public sealed class IndependentWalletTests(LoopbackVerifier verifier) : IClassFixture<LoopbackVerifier>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record Holder(EcdsaJwsSigner Signer, JsonObject PrivateJwk)
    {
        public static Holder Create()
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var signer = new EcdsaJwsSigner(key, "holder");
            var jwk = signer.PublicJwk.ToJson(includeKid: false);
            jwk["d"] = Base64UrlStrict.Encode(key.ExportParameters(includePrivateParameters: true).D!);
            return new Holder(signer, jwk);
        }
    }

    private async Task<(string Own, JsonObject Request, JsonArray Credentials, Holder Holder)> ArrangeAsync()
    {
        var home = new TestIssuer(verifier.Server, Ods.New());
        var own = Ods.New();
        using var client = verifier.ClientFor(own);
        var agreement = await client.PostAsJsonAsync(new Uri("api/agreements", UriKind.Relative), SampleAgreement.Json(own, home.Ods));
        Assert.Equal(HttpStatusCode.Created, agreement.StatusCode);
        var agreementId = (await agreement.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var created = await client.PostAsJsonAsync(new Uri("api/presentation-requests", UriKind.Relative), new JsonObject
        {
            ["agreementId"] = agreementId,
            ["role"] = SampleAgreement.Role,
            ["start"] = SampleClaims.Day(Today.AddDays(7)),
            ["end"] = SampleClaims.Day(Today.AddDays(36)),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var holder = Holder.Create();
        var credentials = new JsonArray();
        foreach (var (_, type, claims) in SampleClaims.All(Today))
            credentials.Add((await home.IssueAsync(type, claims, holder.Signer)).Serialized);
        return (own, (await created.Content.ReadFromJsonAsync<JsonObject>())!, credentials, holder);
    }

    [Fact]
    public async Task A_wallet_built_on_npm_libraries_answers_our_request_and_is_accepted()
    {
        var (own, request, credentials, holder) = await ArrangeAsync();

        var (result, error) = await NodeVpWallet.RunAsync(new JsonObject
        {
            ["deepLink"] = request["deepLink"]!.GetValue<string>(),
            ["trustedClientId"] = request["clientId"]!.GetValue<string>(),
            ["credentials"] = credentials,
            ["holderJwk"] = holder.PrivateJwk,
        });

        Assert.True(result is not null, error);
        Assert.Equal(200, result["status"]!.GetValue<int>());
        // Data minimisation, as the wallet saw it: only what the rules read was disclosed.
        Assert.Equal("[\"barred_list_adults\",\"barred_list_children\",\"issued_on\",\"level\"]", result["presented"]!["dbs"]!.ToJsonString());
        Assert.Equal("[\"clearance\"]", result["presented"]!["occupational_health"]!.ToJsonString());
        using var client = verifier.ClientFor(own);
        var decision = await client.GetFromJsonAsync<JsonObject>(new Uri($"api/presentation-requests/{request["id"]}/decision", UriKind.Relative));
        Assert.True(decision!["accepted"]!.GetValue<bool>(), decision.ToJsonString());
        Assert.Equal(5, decision["requirements"]!.AsArray().Count(r => r!["outcome"]!.GetValue<string>() == "met"));
    }

    [Fact]
    public async Task Over_kestrel_a_chunked_response_body_over_the_limit_is_refused_with_a_problem()
    {
        var (_, request, _, _) = await ArrangeAsync();
        using var wallet = new HttpClient();
        using var body = new MemoryStream(System.Text.Encoding.ASCII.GetBytes("vp_token=" + new string('a', 300 * 1024) + "&state=" + request["id"]));
        using var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(verifier.BaseAddress, $"verifiers/{request["requestUri"]!.GetValue<string>().Split('/')[^3]}/responses")) { Content = content };
        message.Headers.TransferEncodingChunked = true;

        var response = await wallet.SendAsync(message);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_npm_wallet_refuses_a_verifier_it_does_not_trust()
    {
        var (_, request, credentials, holder) = await ArrangeAsync();

        var (result, error) = await NodeVpWallet.RunAsync(new JsonObject
        {
            ["deepLink"] = request["deepLink"]!.GetValue<string>(),
            ["trustedClientId"] = "x509_hash:" + Base64UrlStrict.Encode(SHA256.HashData("someone else"u8)),
            ["credentials"] = credentials,
            ["holderJwk"] = holder.PrivateJwk,
        });

        Assert.Null(result);
        Assert.Contains("Untrusted verifier", error, StringComparison.Ordinal);
    }
}

/// <summary>Runs <c>tests/interop/vp-wallet.mjs</c>: one JSON request on stdin, one JSON answer on stdout.</summary>
internal static class NodeVpWallet
{
    public static Task<(JsonObject? Result, string Error)> RunAsync(JsonObject request) =>
        Passport.Testing.NodeScript.RunAsync("vp-wallet.mjs", request, [Path.Combine("@openid4vc", "openid4vp"), "dcql"], TimeSpan.FromSeconds(60));
}
