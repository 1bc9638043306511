using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Credentials.Jose;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Keys;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Issuer.Status;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Keys;

public sealed class SigningKeyTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    private Task<int> OrganisationAsync(string ods) => app.WithDbAsync(async db =>
    {
        db.Organisations.Add(new Organisation { OdsCode = ods, Name = $"Test Trust {ods}", CreatedAt = DateTimeOffset.UtcNow });
        return await db.SaveChangesAsync();
    });

    private async Task<ActiveKey> ActiveKeyAsync(string ods)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SigningKeys>().GetActiveAsync(ods, default);
    }

    /// <summary>Signs a JWS with the organisation's active key and records it as a credential signed with that key.</summary>
    private async Task<string> SignedCredentialAsync(string ods, DateTimeOffset expiresAt)
    {
        var key = await ActiveKeyAsync(ods);
        var jws = await CompactJws.SignAsync(new JsonObject { ["typ"] = "dc+sd-jwt", ["kid"] = key.Reference.KeyId },
            new JsonObject { ["iss"] = $"{IssuerApp.PublicBaseUrl}issuers/{ods}", ["exp"] = expiresAt.ToUnixTimeSeconds() }, key.Signer, key.Reference, default);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var staff = new StaffMember
        {
            OdsCode = ods, GivenName = "Amara", FamilyName = "Okafor", DateOfBirth = new DateOnly(1990, 4, 1),
            AssignmentNumber = Guid.NewGuid().ToString("N")[..12], CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Staff.Add(staff);
        var slot = (await scope.ServiceProvider.GetRequiredService<StatusLists>().AllocateAsync(ods, 1, default))[0];
        db.Credentials.Add(new IssuedCredential
        {
            OdsCode = ods, StaffId = staff.Id, Type = "training", Vct = "https://passport.example/vct/training", Claims = "{}",
            StatusListId = slot.ListId, StatusIndex = slot.Index, IssuedAt = DateTimeOffset.UtcNow, ExpiresAt = expiresAt,
            KeyId = key.Reference.KeyId, SdJwt = jws,
        });
        await db.SaveChangesAsync();
        return jws;
    }

    private async Task<(string Issuer, JsonWebKeySet Keys, HttpResponseMessage Response)> MetadataAsync(string ods)
    {
        var response = await app.Anonymous().GetAsync(Url($"/.well-known/jwt-vc-issuer/issuers/{ods}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.True(JsonWebKeySet.TryParse(JsonSerializer.SerializeToUtf8Bytes(json["jwks"]), out var set));
        return (json["issuer"]!.GetValue<string>(), set, response);
    }

    [Fact]
    public async Task The_first_use_creates_one_local_key_and_the_metadata_publishes_it()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);

        var key = await ActiveKeyAsync(ods);
        var (issuer, jwks, response) = await MetadataAsync(ods);

        Assert.Equal($"{IssuerApp.PublicBaseUrl}issuers/{ods}", issuer);
        Assert.Equal(key.Reference.KeyId, Assert.Single(jwks.Keys).KeyId);
        Assert.True(jwks.Keys[0].SameKeyAs(key.PublicKey));
        Assert.Equal(key.PublicKey.Thumbprint(), key.Reference.KeyId);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        Assert.Equal(key.Reference.KeyId, (await ActiveKeyAsync(ods)).Reference.KeyId);
    }

    [Fact]
    public async Task The_metadata_has_the_documented_shape_and_no_private_material()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);
        await ActiveKeyAsync(ods);

        var json = JsonNode.Parse(await app.Anonymous().GetStringAsync(Url($"/.well-known/jwt-vc-issuer/issuers/{ods}")))!.AsObject();

        Assert.Equal(["issuer", "jwks"], json.Select(p => p.Key).Order());
        var jwk = Assert.Single(json["jwks"]!["keys"]!.AsArray())!.AsObject();
        Assert.Equal(["crv", "kid", "kty", "x", "y"], jwk.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task An_organisation_without_a_key_yet_publishes_an_empty_set_and_creates_none()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);

        var (_, jwks, _) = await MetadataAsync(ods);

        Assert.Empty(jwks.Keys);
        Assert.Equal(0, await app.WithDbAsync(db => db.SigningKeys.CountAsync(k => k.OdsCode == ods)));
    }

    [Fact]
    public async Task Metadata_for_an_unknown_organisation_is_a_404_problem()
    {
        var response = await app.Anonymous().GetAsync(Url($"/.well-known/jwt-vc-issuer/issuers/{Seed.NewOds()}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("issuer_not_found", problem!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_first_uses_settle_on_a_single_active_key()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ActiveKeyAsync(ods))));

        Assert.Single(keys.Select(k => k.Reference.KeyId).Distinct());
        Assert.Equal(1, await app.WithDbAsync(db => db.SigningKeys.CountAsync(k => k.OdsCode == ods)));
    }

    [Fact]
    public async Task The_private_key_is_stored_encrypted_and_the_signer_still_signs_after_a_cold_start()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);
        var key = await ActiveKeyAsync(ods);

        var stored = await app.WithDbAsync(db => db.SigningKeys.AsNoTracking().SingleAsync(k => k.Kid == key.Reference.KeyId));
        using var probe = System.Security.Cryptography.ECDsa.Create();
        Assert.NotNull(stored.ProtectedPrivateKey);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => probe.ImportPkcs8PrivateKey(stored.ProtectedPrivateKey, out _));
        Assert.DoesNotContain("\"d\"", stored.PublicJwk, StringComparison.Ordinal);

        // A signer with an empty cache reads and decrypts the stored key.
        using var cold = new LocalJwsSigner(app.Services.GetRequiredService<LocalKeyProtector>(), app.Services.GetRequiredService<IServiceScopeFactory>());
        var input = "e30.e30"u8.ToArray();
        var signature = await cold.SignAsync(key.Reference, input, default);
        Assert.True(key.PublicKey.VerifyEs256(input, signature.Value));
    }

    [Fact]
    public async Task Rotation_switches_signing_to_a_new_key_and_what_the_old_key_signed_still_verifies()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);
        var expires = DateTimeOffset.UtcNow.AddYears(2);
        var signedBefore = await SignedCredentialAsync(ods, expires);
        var oldKid = (await ActiveKeyAsync(ods)).Reference.KeyId;

        var response = await app.ClientFor(ods, PassportRoles.OrganisationAdmin).PostAsync(Url("/api/keys/rotate"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = (await response.Content.ReadFromJsonAsync<RotateKeyResponse>())!;
        Assert.NotEqual(oldKid, rotated.Active.Kid);
        Assert.Equal(oldKid, rotated.Retired!.Kid);
        Assert.NotNull(rotated.Retired.RetiredAt);
        Assert.True(rotated.Retired.PublishUntil >= expires.AddSeconds(-1), $"publish until {rotated.Retired.PublishUntil}");
        Assert.Equal(rotated.Active.Kid, (await ActiveKeyAsync(ods)).Reference.KeyId);

        var (_, jwks, _) = await MetadataAsync(ods);
        Assert.Equal([rotated.Active.Kid, oldKid], jwks.Keys.Select(k => k.KeyId));
        Assert.True(CompactJws.TryParse(signedBefore, out var jws, out _));
        Assert.True(jws.VerifyWith(jwks.Find(jws.KeyId!)!));
        var signedAfter = await SignedCredentialAsync(ods, expires);
        Assert.True(CompactJws.TryParse(signedAfter, out var after, out _));
        Assert.Equal(rotated.Active.Kid, after.KeyId);
        Assert.True(after.VerifyWith(jwks.Find(after.KeyId!)!));
    }

    [Fact]
    public async Task Rotating_an_organisation_with_no_key_yet_just_creates_the_first()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);

        var response = await app.ClientFor(ods, PassportRoles.OrganisationAdmin).PostAsync(Url("/api/keys/rotate"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = (await response.Content.ReadFromJsonAsync<RotateKeyResponse>())!;
        Assert.Null(rotated.Retired);
        Assert.Equal(rotated.Active.Kid, (await ActiveKeyAsync(ods)).Reference.KeyId);
    }

    [Fact]
    public async Task Rotating_for_an_organisation_that_is_not_registered_is_a_404_and_creates_nothing()
    {
        var ods = Seed.NewOds();

        var response = await app.ClientFor(ods, PassportRoles.OrganisationAdmin).PostAsync(Url("/api/keys/rotate"), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("organisation_not_found", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        Assert.Equal(0, await app.WithDbAsync(db => db.SigningKeys.CountAsync(k => k.OdsCode == ods)));
    }

    [Fact]
    public async Task A_retired_key_leaves_the_set_once_what_it_signed_has_expired()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);
        var old = await ActiveKeyAsync(ods);
        var now = DateTimeOffset.UtcNow;
        await app.WithDbAsync(async db =>
        {
            var row = await db.SigningKeys.SingleAsync(k => k.Kid == old.Reference.KeyId);
            Assert.True(row.TryRetire(now.AddDays(-3), now.AddDays(-1), out _));
            return await db.SaveChangesAsync();
        });
        var current = await ActiveKeyAsync(ods);

        var (_, jwks, _) = await MetadataAsync(ods);

        Assert.Equal([current.Reference.KeyId], jwks.Keys.Select(k => k.KeyId));
        Assert.NotEqual(old.Reference.KeyId, current.Reference.KeyId);
    }

    [Fact]
    public async Task A_retired_key_stays_published_while_a_credential_it_signed_after_the_rotation_is_unexpired()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);
        var old = await ActiveKeyAsync(ods);
        var now = DateTimeOffset.UtcNow;
        await app.WithDbAsync(async db =>
        {
            var row = await db.SigningKeys.SingleAsync(k => k.Kid == old.Reference.KeyId);
            Assert.True(row.TryRetire(now.AddDays(-3), now.AddDays(-1), out _));
            return await db.SaveChangesAsync();
        });
        // A request that picked up the old key just before the rotation saves its credential afterwards.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            var staff = new StaffMember { OdsCode = ods, GivenName = "Ben", FamilyName = "Ito", DateOfBirth = new DateOnly(1985, 1, 2), AssignmentNumber = "A1", CreatedAt = now };
            db.Staff.Add(staff);
            var slot = (await scope.ServiceProvider.GetRequiredService<StatusLists>().AllocateAsync(ods, 1, default))[0];
            db.Credentials.Add(new IssuedCredential
            {
                OdsCode = ods, StaffId = staff.Id, Type = "dbs", Vct = "https://passport.example/vct/dbs", Claims = "{}",
                StatusListId = slot.ListId, StatusIndex = slot.Index, IssuedAt = now, ExpiresAt = now.AddYears(1), KeyId = old.Reference.KeyId,
            });
            await db.SaveChangesAsync();
        }

        var (_, jwks, _) = await MetadataAsync(ods);

        Assert.NotNull(jwks.Find(old.Reference.KeyId));
    }

    [Fact]
    public async Task A_key_cannot_be_retired_twice()
    {
        var key = new SigningKey { Kid = "k", OdsCode = "X", Provider = KeyProvider.Local, PublicJwk = "{}", CreatedAt = DateTimeOffset.UtcNow };
        var now = DateTimeOffset.UtcNow;

        Assert.True(key.TryRetire(now, null, out _));
        Assert.Equal(now, key.PublishUntil);
        Assert.False(key.TryRetire(now.AddHours(1), now.AddYears(1), out var problem));
        Assert.Equal(now, key.PublishUntil);
        Assert.NotNull(problem);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task An_admin_lists_their_keys_with_lifecycle_and_no_private_material()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);
        var first = await ActiveKeyAsync(ods);
        var admin = app.ClientFor(ods, PassportRoles.OrganisationAdmin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(Url("/api/keys/rotate"), null)).StatusCode);

        var response = await admin.GetAsync(Url("/api/keys"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var keys = JsonNode.Parse(text)!.AsArray();
        Assert.Equal(2, keys.Count);
        Assert.Equal(first.Reference.KeyId, keys[1]!["kid"]!.GetValue<string>());
        Assert.NotNull(keys[1]!["retiredAt"]);
        Assert.Null(keys[0]!["retiredAt"]);
        Assert.Equal(["activatedAt", "createdAt", "kid", "provider", "publishUntil", "retiredAt"], keys[0]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Only_an_organisation_admin_may_list_or_rotate_keys()
    {
        var ods = Seed.NewOds();
        await OrganisationAsync(ods);

        foreach (var role in new[] { PassportRoles.HrIssuer, PassportRoles.Staff, PassportRoles.Verifier })
        {
            var client = app.ClientFor(ods, role, staffId: Guid.NewGuid());
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync(Url("/api/keys/rotate"), null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Url("/api/keys"))).StatusCode);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.SigningKeys.CountAsync(k => k.OdsCode == ods)));
    }

    [Fact]
    public async Task Without_a_token_listing_and_rotating_are_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync(Url("/api/keys/rotate"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url("/api/keys"))).StatusCode);
    }

    [Fact]
    public async Task Another_organisations_admin_can_neither_see_nor_rotate_our_keys()
    {
        var ours = Seed.NewOds();
        var theirs = Seed.NewOds();
        await OrganisationAsync(ours);
        await OrganisationAsync(theirs);
        var ourKey = await ActiveKeyAsync(ours);
        var them = app.ClientFor(theirs, PassportRoles.OrganisationAdmin);

        var listed = await them.GetStringAsync(Url("/api/keys"));
        Assert.Equal(HttpStatusCode.OK, (await them.PostAsync(Url("/api/keys/rotate"), null)).StatusCode);

        Assert.DoesNotContain(ourKey.Reference.KeyId, listed, StringComparison.Ordinal);
        Assert.Equal(ourKey.Reference.KeyId, (await ActiveKeyAsync(ours)).Reference.KeyId);
        Assert.Equal(1, await app.WithDbAsync(db => db.SigningKeys.CountAsync(k => k.OdsCode == ours)));
    }
}
