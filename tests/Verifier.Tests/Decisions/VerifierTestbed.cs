using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Credentials.StatusList;
using Passport.Verifier.Tests.Agreements;
using Passport.Verifier.Tests.Trust;

namespace Passport.Verifier.Tests.Decisions;

/// <summary>
/// The Verifier with issuers beside it: a loopback server publishing each test organisation's issuer metadata and status
/// list, and signers that issue real SD-JWT VCs. The Verifier finds the issuers as <c>{server}issuers/{ODS}</c>.
/// </summary>
public sealed class VerifierTestbed : IAsyncLifetime
{
    public VerifierApp App { get; } = new();
    public TestIssuerServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestIssuerServer.StartAsync();
        App.Settings["Verifier:Trust:IssuerBaseUrl"] = Server.BaseAddress.ToString();
        App.Settings["Verifier:Trust:AllowHttp"] = "true";
        App.Settings["Verifier:Trust:AllowPrivateNetworks"] = "true";
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>An issuing organisation with a fresh ODS code, its key published and its status list served.</summary>
    public TestIssuer NewIssuer() => new(Server, Ods.New());

    /// <summary>Records the sample agreement between <paramref name="own"/> and <paramref name="home"/>; returns its id.</summary>
    public async Task<Guid> CreateAgreementAsync(string own, string home)
    {
        using var client = App.ClientFor(own, "org_admin");
        var response = await client.PostAsJsonAsync(new Uri("/api/agreements", UriKind.Relative), SampleAgreement.Json(own, home));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }
}

internal static class Ods
{
    public static string New() => "T" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..6];
}

public sealed class TestIssuer
{
    private readonly StatusList _list = new(1024, 2);
    private int _next;

    internal TestIssuer(TestIssuerServer server, string ods)
    {
        Ods = ods;
        Signer = EcdsaJwsSigner.Generate($"{ods}-key-1");
        IssuerId = server.ServeIssuer(ods, () => [Signer]);
        StatusListUri = server.ServeStatusList($"/status/{ods}/1", _list, Signer, TimeProvider.System, ttl: null);
    }

    public string Ods { get; }
    public string IssuerId { get; }
    public string StatusListUri { get; }
    public EcdsaJwsSigner Signer { get; }

    /// <summary>
    /// An SD-JWT VC of the sample type with every top-level claim selectively disclosable, bound to <paramref name="holder"/>,
    /// about <paramref name="subject"/> (by default the holder's staff id here, <see cref="SubjectOf"/>; <c>""</c> for none).
    /// </summary>
    public async Task<TestCredential> IssueAsync(string type, JsonObject claims, EcdsaJwsSigner holder, DateTimeOffset? expiresAt = null, string? subject = null,
        long? statusIndex = null)
    {
        subject ??= SubjectOf(holder);
        var index = statusIndex ?? Interlocked.Increment(ref _next) - 1;
        var frame = new DisclosureFrame();
        foreach (var name in claims.Select(c => c.Key))
            frame.Claims.Add(name);
        var now = DateTimeOffset.UtcNow;
        var issued = await SdJwtVcIssuer.IssueAsync(new SdJwtVcRequest
        {
            Issuer = IssuerId, Vct = SampleAgreement.Vct(type), Claims = (JsonObject)claims.DeepClone(), Frame = frame,
            IssuedAt = now.AddMinutes(-5), ExpiresAt = expiresAt ?? now.AddYears(1), HolderKey = holder.PublicJwk,
            Status = new StatusReference(index, StatusListUri), Subject = subject.Length == 0 ? null : subject,
        }, Signer, Signer.Reference, CancellationToken.None);
        return new TestCredential(issued.Serialized, index);
    }

    /// <summary>The staff id this issuer gives the person holding <paramref name="holder"/>: one per issuer and holder.</summary>
    public string SubjectOf(EcdsaJwsSigner holder) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Ods + holder.PublicJwk.Thumbprint()))[..16]).ToString();

    public int ListSize => _list.Size;

    public void Revoke(TestCredential credential) => _list[(int)credential.StatusIndex] = 1;

    public void Suspend(TestCredential credential) => _list[(int)credential.StatusIndex] = 2;
}

public sealed record TestCredential(string Serialized, long StatusIndex)
{
    /// <summary>The credential with every disclosure and a KB-JWT for this audience and nonce.</summary>
    public async Task<string> PresentAsync(EcdsaJwsSigner holder, string audience, string nonce)
    {
        Assert.True(HeldCredential.TryParse(Serialized, out var held, out var error), error?.ToString());
        return await held.PresentAsync(held.Disclosures, new KeyBindingRequest(audience, nonce, DateTimeOffset.UtcNow), holder, holder.Reference, CancellationToken.None);
    }
}
