using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Credentials.Jose;
using Passport.Issuer.Keys;
using Passport.Issuer.Organisations;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Keys;

/// <summary>The Issuer configured for Azure Key Vault, pointed at the local stand-in.</summary>
public sealed class KeyVaultIssuerApp : IAsyncLifetime
{
    public IssuerApp App { get; } = new();
    public KeyVaultStandIn Vault { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Vault = await KeyVaultStandIn.StartAsync();
        App.Settings["Issuer:Keys:Provider"] = nameof(KeyProvider.AzureKeyVault);
        App.Settings["Issuer:Keys:VaultUri"] = Vault.VaultUri.ToString();
        App.Settings["Issuer:Keys:ServerErrorBackoff"] = "00:00:00.001";
        App.ConfigureServicesForTest = services =>
        {
            services.AddSingleton(KeyVaultStandIn.Credential());
            services.AddSingleton(Vault.Transport());
        };
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)App).DisposeAsync();
        await Vault.DisposeAsync();
    }
}

public sealed class KeyVaultIssuerTests(KeyVaultIssuerApp fixture) : IClassFixture<KeyVaultIssuerApp>
{
    private IssuerApp App => fixture.App;
    private KeyVaultStandIn Vault => fixture.Vault;

    private static Uri Url(string path) => new(path, UriKind.Relative);

    private Task<int> OrganisationAsync(string ods) => App.WithDbAsync(async db =>
    {
        db.Organisations.Add(new Organisation { OdsCode = ods, Name = $"Test Trust {ods}", CreatedAt = DateTimeOffset.UtcNow });
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Keys_created_in_the_vault_sign_credentials_that_verify_with_the_published_set()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);

        var rotate = await App.ClientFor(ods, PassportRoles.OrganisationAdmin).PostAsync(Url("/api/keys/rotate"), null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var rotated = (await rotate.Content.ReadFromJsonAsync<RotateKeyResponse>())!;
        Assert.Equal(KeyProvider.AzureKeyVault, rotated.Active.Provider);

        await using var scope = App.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<SigningKeys>().GetActiveAsync(ods, default);
        var signed = await CompactJws.SignAsync(new JsonObject { ["kid"] = key.Reference.KeyId }, new JsonObject { ["iss"] = "x" }, key.Signer, key.Reference, default);
        var metadata = JsonNode.Parse(await App.Anonymous().GetStringAsync(Url($"/.well-known/jwt-vc-issuer/issuers/{ods}")))!;
        Assert.True(JsonWebKeySet.TryParse(System.Text.Encoding.UTF8.GetBytes(metadata["jwks"]!.ToJsonString()), out var jwks));

        Assert.Equal(rotated.Active.Kid, key.Reference.KeyId);
        Assert.True(CompactJws.TryParse(signed, out var jws, out _));
        Assert.True(jws.VerifyWith(jwks.Find(rotated.Active.Kid)!));
        Assert.Contains("sign", Vault.Requests);
        var stored = await App.WithDbAsync(db => db.SigningKeys.AsNoTracking().SingleAsync(k => k.Kid == rotated.Active.Kid));
        Assert.StartsWith(new Uri(Vault.VaultUri, $"keys/passport-{ods}/").ToString(), stored.KeyVaultKeyId, StringComparison.Ordinal);
        Assert.Null(stored.ProtectedPrivateKey);
    }

    [Fact]
    public async Task When_the_vault_refuses_our_credentials_rotation_is_a_503_problem_that_reveals_nothing()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);
        Vault.RefuseAllTokens = true;
        try
        {
            var response = await App.ClientFor(ods, PassportRoles.OrganisationAdmin).PostAsync(Url("/api/keys/rotate"), null);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal("key_vault_refused", JsonNode.Parse(body)!["code"]!.GetValue<string>());
            Assert.Contains("refused our credentials", body, StringComparison.Ordinal);
            Assert.DoesNotContain(KeyVaultStandIn.AcceptedToken, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Vault.VaultUri.Host + ":", body, StringComparison.Ordinal);
            Assert.Equal(0, await App.WithDbAsync(db => db.SigningKeys.CountAsync(k => k.OdsCode == ods)));
        }
        finally
        {
            Vault.RefuseAllTokens = false;
        }
    }

    [Fact]
    public async Task A_vault_refusal_while_signing_elsewhere_becomes_a_503_problem_not_a_500()
    {
        var ods = Seed.NewOds();
        await Seed.CredentialAsync(App, ods);
        var listId = await App.WithDbAsync(db => db.StatusLists.Where(l => l.OdsCode == ods).Select(l => l.Id).FirstAsync());
        Vault.RefuseAllTokens = true;
        try
        {
            var response = await App.Anonymous().GetAsync(Url($"/status/{ods}/{listId}"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("key_vault_refused", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        }
        finally
        {
            Vault.RefuseAllTokens = false;
        }
    }

    [Fact]
    public async Task A_transient_vault_failure_during_rotation_is_retried_and_the_rotation_succeeds()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);
        var before = Vault.Count("create");
        Vault.FailNext(502);

        var response = await App.ClientFor(ods, PassportRoles.OrganisationAdmin).PostAsync(Url("/api/keys/rotate"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 2, Vault.Count("create"));
    }
}
