using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Issuer.Audit;
using Passport.Issuer.Offers;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Offers;

public sealed class OfferFlowTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private sealed record Offered(string Ods, Guid StaffId, Guid CredentialId, string Issuer, Guid OfferId, string OfferUri, string TxCode, JsonObject Response);

    private async Task<Offered> OfferAsync(string type = "training")
    {
        var ods = Seed.NewOds();
        var (staffId, credentialId) = await Seed.CredentialAsync(app, ods, type);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        using var response = await hr.PostAsJsonAsync($"/api/staff/{staffId}/offers", new { });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new Offered(ods, staffId, credentialId, body["credentialIssuer"]!.GetValue<string>(), body["id"]!.GetValue<Guid>(),
            body["offerUri"]!.GetValue<string>(), body["txCode"]!.GetValue<string>(), body);
    }

    private async Task<(Offered Offer, TestWallet Wallet, string AccessToken)> RedeemedAsync(string type = "training")
    {
        var offer = await OfferAsync(type);
        var wallet = new TestWallet(app.Anonymous());
        var resolved = await wallet.ResolveOfferAsync(offer.OfferUri);
        var token = await wallet.AccessTokenAsync(offer.Issuer, TestWallet.PreAuthorizedCode(resolved), offer.TxCode);
        return (offer, wallet, token);
    }

    [Fact]
    public async Task A_wallet_collects_a_holder_bound_credential_that_verifies_against_the_published_keys()
    {
        var offer = await OfferAsync();
        Assert.Equal(IssuerApp.PublicBaseUrl + "issuers/" + offer.Ods, offer.Issuer);
        Assert.Equal(6, offer.TxCode.Length);
        Assert.Equal("numeric", offer.Response["txCodeInfo"]!["inputMode"]!.GetValue<string>());
        using var wallet = new TestWallet(app.Anonymous());
        using var anonymous = app.Anonymous();

        var metadata = (await anonymous.GetFromJsonAsync<JsonObject>($"/.well-known/openid-credential-issuer/issuers/{offer.Ods}"))!;
        Assert.Equal(offer.Issuer, metadata["credential_issuer"]!.GetValue<string>());
        Assert.Equal(offer.Issuer + "/nonce", metadata["nonce_endpoint"]!.GetValue<string>());
        var training = metadata["credential_configurations_supported"]!["training"]!;
        Assert.Equal("dc+sd-jwt", training["format"]!.GetValue<string>());
        Assert.Equal("jwk", training["cryptographic_binding_methods_supported"]![0]!.GetValue<string>());
        Assert.Equal("ES256", training["proof_types_supported"]!["jwt"]!["proof_signing_alg_values_supported"]![0]!.GetValue<string>());
        var authorizationServer = (await anonymous.GetFromJsonAsync<JsonObject>($"/.well-known/oauth-authorization-server/issuers/{offer.Ods}"))!;
        Assert.Equal(offer.Issuer + "/token", authorizationServer["token_endpoint"]!.GetValue<string>());

        var resolved = await wallet.ResolveOfferAsync(offer.OfferUri);
        Assert.Equal(offer.Issuer, resolved["credential_issuer"]!.GetValue<string>());
        Assert.Equal(new[] { "training" }, resolved["credential_configuration_ids"]!.AsArray().Select(x => x!.GetValue<string>()));
        using var tokenResponse = await wallet.TokenAsync(offer.Issuer, TestWallet.PreAuthorizedCode(resolved), offer.TxCode);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Contains("no-store", tokenResponse.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(offer.CredentialId.ToString(), token["authorization_details"]![0]!["credential_identifiers"]![0]!.GetValue<string>());

        var nonce = await wallet.NonceAsync(offer.Issuer);
        using var response = await wallet.CredentialAsync(offer.Issuer, token["access_token"]!.GetValue<string>(),
            TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var sdJwt = body["credentials"]![0]!["credential"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(body["notification_id"]!.GetValue<string>()));

        var jwksBody = await anonymous.GetFromJsonAsync<JsonObject>($"/.well-known/jwt-vc-issuer/issuers/{offer.Ods}");
        Assert.True(JsonWebKeySet.TryParse(System.Text.Encoding.UTF8.GetBytes(jwksBody!["jwks"]!.ToJsonString()), out var jwks));
        var verifier = new SdJwtVcVerifier(new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet> { [offer.Issuer] = jwks }), TimeProvider.System);
        var verified = await verifier.VerifyAsync(sdJwt, PresentationPolicy.WithoutKeyBinding, CancellationToken.None);
        Assert.True(verified.IsValid, verified.Error?.ToString());
        Assert.True(verified.Credential!.HolderKey!.SameKeyAs(wallet.PublicKey));
        Assert.Equal(offer.Issuer, verified.Credential.Issuer);

        var actions = await app.WithDbAsync(db => db.Audit.Where(a => a.CredentialId == offer.CredentialId).Select(a => a.Action).ToListAsync());
        Assert.Contains(AuditActions.Offered, actions);
        Assert.Contains(AuditActions.Delivered, actions);
    }

    [Fact]
    public async Task Another_instance_of_the_issuer_serves_an_offer_by_reference_from_the_key_ring_in_the_database()
    {
        var offer = await OfferAsync();
        // A second instance on the same database (as behind a load balancer, or after a redeploy): its own container,
        // its own Data Protection services, the key ring read from the database.
        await using var other = app.WithWebHostBuilder(_ => { });
        using var otherClient = other.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri(IssuerApp.PublicBaseUrl) });
        using var wallet = new TestWallet(otherClient);

        var resolved = await wallet.ResolveOfferAsync(offer.OfferUri);
        using var token = await wallet.TokenAsync(offer.Issuer, TestWallet.PreAuthorizedCode(resolved), offer.TxCode);

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.NotEmpty(await app.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync()));
    }

    [Fact]
    public async Task Expired_nonces_are_purged_and_live_ones_kept()
    {
        var now = DateTimeOffset.UtcNow;
        var (expired, live) = ($"expired-{Guid.NewGuid():N}", $"live-{Guid.NewGuid():N}");
        await app.WithDbAsync(db =>
        {
            db.Nonces.Add(new IssuanceNonce { Hash = expired, ExpiresAt = now.AddMinutes(-1) });
            db.Nonces.Add(new IssuanceNonce { Hash = live, ExpiresAt = now.AddMinutes(5) });
            return db.SaveChangesAsync();
        });

        var purged = await app.Services.GetRequiredService<NoncePurge>().PurgeAsync(CancellationToken.None);

        Assert.True(purged >= 1);
        var left = await app.WithDbAsync(db => db.Nonces.Where(n => n.Hash == expired || n.Hash == live).Select(n => n.Hash).ToListAsync());
        Assert.Equal([live], left);
    }

    [Fact]
    public async Task The_database_keeps_only_hashes_of_the_code_tx_code_and_access_token()
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            var stored = await app.WithDbAsync(db => db.Offers.AsNoTracking().SingleAsync(o => o.Id == offer.OfferId));
            Assert.NotEqual(offer.TxCode, stored.TxCodeHash);
            Assert.Equal(64, stored.TxCodeHash.Length);
            Assert.Equal(64, stored.AccessTokenHash!.Length);
            Assert.NotEqual(token, stored.AccessTokenHash);
            Assert.Null(stored.ProtectedPreAuthorizedCode);
        }
    }

    [Fact]
    public async Task A_replayed_pre_authorized_code_is_an_invalid_grant()
    {
        var offer = await OfferAsync();
        using var wallet = new TestWallet(app.Anonymous());
        var code = TestWallet.PreAuthorizedCode(await wallet.ResolveOfferAsync(offer.OfferUri));
        await wallet.AccessTokenAsync(offer.Issuer, code, offer.TxCode);

        using var replay = await wallet.TokenAsync(offer.Issuer, code, offer.TxCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", await TestWallet.ErrorOf(replay));
    }

    [Fact]
    public async Task A_wrong_tx_code_is_an_invalid_grant_and_five_lock_the_offer()
    {
        var offer = await OfferAsync();
        using var wallet = new TestWallet(app.Anonymous());
        var code = TestWallet.PreAuthorizedCode(await wallet.ResolveOfferAsync(offer.OfferUri));
        var wrong = ((int.Parse(offer.TxCode, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < 5; i++)
        {
            using var response = await wallet.TokenAsync(offer.Issuer, code, wrong);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_grant", await TestWallet.ErrorOf(response));
        }
        using var right = await wallet.TokenAsync(offer.Issuer, code, offer.TxCode);
        Assert.Equal("invalid_grant", await TestWallet.ErrorOf(right));
        Assert.Equal(5, await app.WithDbAsync(db => db.Offers.Where(o => o.Id == offer.OfferId).Select(o => o.TxCodeAttempts).SingleAsync()));
    }

    [Fact]
    public async Task A_missing_tx_code_is_an_invalid_request_and_another_grant_type_is_unsupported()
    {
        var offer = await OfferAsync();
        using var wallet = new TestWallet(app.Anonymous());
        var code = TestWallet.PreAuthorizedCode(await wallet.ResolveOfferAsync(offer.OfferUri));
        using var missing = await wallet.TokenAsync(offer.Issuer, code, null);
        Assert.Equal("invalid_request", await TestWallet.ErrorOf(missing));

        using var anonymous = app.Anonymous();
        using var other = await anonymous.PostAsync(new Uri($"{offer.Issuer}/token"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code }));
        Assert.Equal("unsupported_grant_type", await TestWallet.ErrorOf(other));

        // Neither counted as a tx_code attempt, and the right code still works.
        await wallet.AccessTokenAsync(offer.Issuer, code, offer.TxCode);
    }

    [Fact]
    public async Task An_expired_offer_is_an_invalid_grant()
    {
        var offer = await OfferAsync();
        using var wallet = new TestWallet(app.Anonymous());
        var code = TestWallet.PreAuthorizedCode(await wallet.ResolveOfferAsync(offer.OfferUri));
        await app.WithDbAsync(db => db.Offers.Where(o => o.Id == offer.OfferId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));

        using var response = await wallet.TokenAsync(offer.Issuer, code, offer.TxCode);
        Assert.Equal("invalid_grant", await TestWallet.ErrorOf(response));
        using var anonymous = app.Anonymous();
        using var fetch = await anonymous.GetAsync(new Uri(TestWallet.CredentialOfferUri(offer.OfferUri)));
        Assert.Equal(HttpStatusCode.NotFound, fetch.StatusCode);
    }

    [Fact]
    public async Task A_reused_nonce_is_an_invalid_nonce()
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            var nonce = await wallet.NonceAsync(offer.Issuer);
            using var first = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);

            using var second = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
            Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
            Assert.Equal("invalid_nonce", await TestWallet.ErrorOf(second));
        }
    }

    [Fact]
    public async Task An_expired_or_unknown_nonce_is_an_invalid_nonce()
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            var nonce = await wallet.NonceAsync(offer.Issuer);
            var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(nonce)));
            await app.WithDbAsync(db => db.Nonces.Where(n => n.Hash == hash)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
            using var stale = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
            Assert.Equal("invalid_nonce", await TestWallet.ErrorOf(stale));

            using var unknown = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, "made-up")));
            Assert.Equal("invalid_nonce", await TestWallet.ErrorOf(unknown));
        }
    }

    public static TheoryData<string> BadProofs => ["wrong typ", "alg none", "alg HS256", "wrong aud", "no nonce", "signed by another key", "jwk with d", "kid instead of jwk", "no iat", "iat in the future", "iat too old", "not a jwt", "P-384 jwk"];

    [Theory]
    [MemberData(nameof(BadProofs))]
    public async Task A_bad_key_proof_is_an_invalid_proof_and_leaves_the_nonce_unspent(string flaw)
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var nonce = await wallet.NonceAsync(offer.Issuer);
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var proof = flaw switch
            {
                "wrong typ" => wallet.Proof(offer.Issuer, nonce, (h, _) => h["typ"] = "JWT"),
                "alg none" => Unsigned(wallet, offer.Issuer, nonce),
                "alg HS256" => wallet.Proof(offer.Issuer, nonce, (h, _) => h["alg"] = "HS256"),
                "wrong aud" => wallet.Proof(IssuerApp.PublicBaseUrl + "issuers/OTHER", nonce),
                "no nonce" => wallet.Proof(offer.Issuer, null),
                "signed by another key" => wallet.Proof(offer.Issuer, nonce, signWith: other),
                "jwk with d" => wallet.Proof(offer.Issuer, nonce, (h, _) => h["jwk"]!["d"] = Base64UrlStrict.Encode(wallet.Key.ExportParameters(true).D!)),
                "kid instead of jwk" => wallet.Proof(offer.Issuer, nonce, (h, _) => { h.Remove("jwk"); h["kid"] = "did:example:123#0"; }),
                "no iat" => wallet.Proof(offer.Issuer, nonce, (_, p) => p.Remove("iat")),
                "iat in the future" => wallet.Proof(offer.Issuer, nonce, (_, p) => p["iat"] = now + 3600),
                "iat too old" => wallet.Proof(offer.Issuer, nonce, (_, p) => p["iat"] = now - 3600),
                "not a jwt" => "not-a-jwt",
                "P-384 jwk" => wallet.Proof(offer.Issuer, nonce, (h, _) => h["jwk"]!["crv"] = "P-384"),
                _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
            };
            using var response = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", proof));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_proof", await TestWallet.ErrorOf(response));

            using var good = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        }
    }

    private static string Unsigned(TestWallet wallet, string audience, string nonce)
    {
        var signed = wallet.Proof(audience, nonce, (h, _) => h["alg"] = "none");
        return signed[..(signed.LastIndexOf('.') + 1)];
    }

    [Fact]
    public async Task A_request_without_any_proof_is_an_invalid_proof()
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            using var response = await wallet.CredentialAsync(offer.Issuer, token, new JsonObject { ["credential_configuration_id"] = "training" });
            Assert.Equal("invalid_proof", await TestWallet.ErrorOf(response));
        }
    }

    [Fact]
    public async Task An_unknown_or_unoffered_configuration_and_an_unknown_identifier_are_refused_with_their_codes()
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            var nonce = await wallet.NonceAsync(offer.Issuer);
            using var unknown = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("pilot-licence", wallet.Proof(offer.Issuer, nonce)));
            Assert.Equal("unknown_credential_configuration", await TestWallet.ErrorOf(unknown));

            using var notOffered = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("dbs", wallet.Proof(offer.Issuer, nonce)));
            Assert.Equal("unknown_credential_configuration", await TestWallet.ErrorOf(notOffered));

            var byIdentifier = new JsonObject
            {
                ["credential_identifier"] = Guid.NewGuid().ToString(),
                ["proofs"] = new JsonObject { ["jwt"] = new JsonArray(wallet.Proof(offer.Issuer, nonce)) },
            };
            using var unknownId = await wallet.CredentialAsync(offer.Issuer, token, byIdentifier);
            Assert.Equal("unknown_credential_identifier", await TestWallet.ErrorOf(unknownId));

            var both = TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce));
            both["credential_identifier"] = offer.CredentialId.ToString();
            using var ambiguous = await wallet.CredentialAsync(offer.Issuer, token, both);
            Assert.Equal("invalid_credential_request", await TestWallet.ErrorOf(ambiguous));

            var byId = new JsonObject
            {
                ["credential_identifier"] = offer.CredentialId.ToString(),
                ["proofs"] = new JsonObject { ["jwt"] = new JsonArray(wallet.Proof(offer.Issuer, nonce)) },
            };
            using var ok = await wallet.CredentialAsync(offer.Issuer, token, byId);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
    }

    [Fact]
    public async Task No_a_bad_or_an_expired_access_token_is_a_401_invalid_token_with_a_bearer_challenge()
    {
        var (offer, wallet, expired) = await RedeemedAsync();
        using (wallet)
        {
            await app.WithDbAsync(db => db.Offers.Where(o => o.Id == offer.OfferId)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.AccessTokenExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
            var nonce = await wallet.NonceAsync(offer.Issuer);
            foreach (var token in new[] { null, "not-a-token-we-gave-out", expired })
            {
                using var response = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                var challenge = response.Headers.WwwAuthenticate.Single();
                Assert.Equal("Bearer", challenge.Scheme);
                // RFC 6750 §3.1: a request with no token gets a challenge without an error code.
                if (token is null)
                    Assert.Null(challenge.Parameter);
                else
                    Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
                Assert.Equal("invalid_token", await TestWallet.ErrorOf(response));
            }
            using var notify = await wallet.NotifyAsync(offer.Issuer, expired, new JsonObject { ["notification_id"] = "x", ["event"] = "credential_accepted" });
            Assert.Equal(HttpStatusCode.Unauthorized, notify.StatusCode);
        }
    }

    [Fact]
    public async Task An_access_token_of_one_organisation_does_not_work_at_another()
    {
        var (offer, wallet, token) = await RedeemedAsync();
        var other = await OfferAsync();
        using (wallet)
        {
            var nonce = await wallet.NonceAsync(other.Issuer);
            using var response = await wallet.CredentialAsync(other.Issuer, token, TestWallet.Request("training", wallet.Proof(other.Issuer, nonce)));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            _ = offer;
        }
    }

    [Fact]
    public async Task Hr_of_another_organisation_cannot_offer_your_staff_or_see_your_offers()
    {
        var offer = await OfferAsync();
        using var otherHr = app.ClientFor(Seed.NewOds(), PassportRoles.HrIssuer);
        using var create = await otherHr.PostAsJsonAsync($"/api/staff/{offer.StaffId}/offers", new { });
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        using var qr = await otherHr.GetAsync($"/api/offers/{offer.OfferId}/qr.png");
        Assert.Equal(HttpStatusCode.NotFound, qr.StatusCode);

        using var staff = app.ClientFor(offer.Ods, PassportRoles.Staff, offer.StaffId);
        using var asStaff = await staff.PostAsJsonAsync($"/api/staff/{offer.StaffId}/offers", new { });
        Assert.Equal(HttpStatusCode.Forbidden, asStaff.StatusCode);
    }

    [Fact]
    public async Task An_offer_of_credentials_that_are_not_the_staff_members_active_ones_is_refused()
    {
        var ods = Seed.NewOds();
        var (staffId, _) = await Seed.CredentialAsync(app, ods);
        var (_, someoneElses) = await Seed.CredentialAsync(app, ods);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        using var response = await hr.PostAsJsonAsync($"/api/staff/{staffId}/offers", new { credentialIds = new[] { someoneElses } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Offers.CountAsync(o => o.StaffId == staffId)));
    }

    [Fact]
    public async Task The_qr_endpoints_return_png_and_svg_of_the_offer_uri()
    {
        var offer = await OfferAsync();
        using var hr = app.ClientFor(offer.Ods, PassportRoles.HrIssuer);
        using var png = await hr.GetAsync($"/api/offers/{offer.OfferId}/qr.png");
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        var bytes = await png.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);

        using var svg = await hr.GetAsync($"/api/offers/{offer.OfferId}/qr.svg");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepted_and_rejected_credentials_reach_hr_who_resolve_the_rejection()
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            var nonce = await wallet.NonceAsync(offer.Issuer);
            using var delivered = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
            var notificationId = (await delivered.Content.ReadFromJsonAsync<JsonObject>())!["notification_id"]!.GetValue<string>();

            using var accepted = await wallet.NotifyAsync(offer.Issuer, token, new JsonObject { ["notification_id"] = notificationId, ["event"] = "credential_accepted" });
            Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
            using var hr = app.ClientFor(offer.Ods, PassportRoles.HrIssuer);
            var all = (await hr.GetFromJsonAsync<JsonArray>("/api/notifications"))!;
            Assert.Equal("credential_accepted", all.Single(n => n!["credentialId"]!.GetValue<Guid>() == offer.CredentialId)!["event"]!.GetValue<string>());
            Assert.DoesNotContain((await hr.GetFromJsonAsync<JsonArray>("/api/notifications?unresolved=true"))!,
                n => n!["credentialId"]!.GetValue<Guid>() == offer.CredentialId);

            using var deleted = await wallet.NotifyAsync(offer.Issuer, token, new JsonObject
            {
                ["notification_id"] = notificationId, ["event"] = "credential_deleted", ["event_description"] = "incorrect: my surname is misspelt",
            });
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            var open = (await hr.GetFromJsonAsync<JsonArray>("/api/notifications?unresolved=true"))!
                .Single(n => n!["credentialId"]!.GetValue<Guid>() == offer.CredentialId)!;
            Assert.Equal("incorrect", open["reason"]!.GetValue<string>());
            Assert.Equal("my surname is misspelt", open["description"]!.GetValue<string>());

            using var resolve = await hr.PostAsJsonAsync($"/api/notifications/{open["id"]!.GetValue<Guid>()}/resolve", new { resolution = "Re-issued with the corrected surname." });
            Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
            Assert.DoesNotContain((await hr.GetFromJsonAsync<JsonArray>("/api/notifications?unresolved=true"))!,
                n => n!["credentialId"]!.GetValue<Guid>() == offer.CredentialId);
            using var again = await hr.PostAsJsonAsync($"/api/notifications/{open["id"]!.GetValue<Guid>()}/resolve", new { resolution = "again" });
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

            using var otherHr = app.ClientFor(Seed.NewOds(), PassportRoles.HrIssuer);
            Assert.Empty((await otherHr.GetFromJsonAsync<JsonArray>("/api/notifications"))!);

            var actions = await app.WithDbAsync(db => db.Audit.Where(a => a.CredentialId == offer.CredentialId).Select(a => a.Action).ToListAsync());
            Assert.Contains(AuditActions.Accepted, actions);
            Assert.Contains(AuditActions.Rejected, actions);
            Assert.Contains(AuditActions.Resolved, actions);
        }
    }

    [Theory]
    [InlineData("duplicate", null, "duplicate")]
    [InlineData(null, "not_wanted", "not_wanted")]
    [InlineData(null, "Not wanted: I have left", "not_wanted")]
    [InlineData(null, "I changed my mind", "other")]
    public async Task The_reject_reason_is_read_from_the_reason_member_or_the_event_description(string? reason, string? description, string expected)
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            var nonce = await wallet.NonceAsync(offer.Issuer);
            using var delivered = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
            var notificationId = (await delivered.Content.ReadFromJsonAsync<JsonObject>())!["notification_id"]!.GetValue<string>();
            var request = new JsonObject { ["notification_id"] = notificationId, ["event"] = "credential_deleted" };
            if (reason is not null)
                request["reason"] = reason;
            if (description is not null)
                request["event_description"] = description;
            using var response = await wallet.NotifyAsync(offer.Issuer, token, request);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            var stored = await app.WithDbAsync(db => db.WalletNotifications.AsNoTracking().SingleAsync(n => n.NotificationId == notificationId));
            Assert.Equal(expected, stored.Reason);
        }
    }

    [Fact]
    public async Task A_bad_notification_is_refused_with_the_specs_codes()
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            var nonce = await wallet.NonceAsync(offer.Issuer);
            using var delivered = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
            var notificationId = (await delivered.Content.ReadFromJsonAsync<JsonObject>())!["notification_id"]!.GetValue<string>();

            using var unknownId = await wallet.NotifyAsync(offer.Issuer, token, new JsonObject { ["notification_id"] = "nope", ["event"] = "credential_accepted" });
            Assert.Equal("invalid_notification_id", await TestWallet.ErrorOf(unknownId));
            using var badEvent = await wallet.NotifyAsync(offer.Issuer, token, new JsonObject { ["notification_id"] = notificationId, ["event"] = "credential_loved" });
            Assert.Equal("invalid_notification_request", await TestWallet.ErrorOf(badEvent));
            using var badReason = await wallet.NotifyAsync(offer.Issuer, token, new JsonObject { ["notification_id"] = notificationId, ["event"] = "credential_deleted", ["reason"] = "bored" });
            Assert.Equal("invalid_notification_request", await TestWallet.ErrorOf(badReason));
            using var badDescription = await wallet.NotifyAsync(offer.Issuer, token, new JsonObject { ["notification_id"] = notificationId, ["event"] = "credential_failure", ["event_description"] = "quote \" here" });
            Assert.Equal("invalid_notification_request", await TestWallet.ErrorOf(badDescription));

            var stored = await app.WithDbAsync(db => db.WalletNotifications.AsNoTracking().SingleAsync(n => n.NotificationId == notificationId));
            Assert.Null(stored.Event);
        }
    }

    [Fact]
    public async Task A_credential_withdrawn_after_the_offer_is_not_delivered()
    {
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            await app.WithDbAsync(async db =>
            {
                var credential = await db.Credentials.SingleAsync(c => c.Id == offer.CredentialId);
                Assert.True(credential.TryRevoke("issued_in_error", DateTimeOffset.UtcNow, out _));
                return await db.SaveChangesAsync();
            });
            var nonce = await wallet.NonceAsync(offer.Issuer);
            using var response = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
            Assert.Equal("credential_request_denied", await TestWallet.ErrorOf(response));
        }
    }

    [Fact]
    public void The_offer_counts_attempts_and_locks_after_the_last_wrong_one()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var offer = Passport.Issuer.Offers.CredentialOffer.Create("RHQ", Guid.NewGuid(), [Guid.NewGuid()], "h", "p", "t", 6, "hr", time.GetUtcNow(), TimeSpan.FromMinutes(15));
        for (var i = 0; i < Passport.Issuer.Offers.CredentialOffer.MaxTxCodeAttempts; i++)
            Assert.True(offer.TryCountTxCodeAttempt(time.GetUtcNow(), out _));
        Assert.False(offer.TryCountTxCodeAttempt(time.GetUtcNow(), out var problem));
        Assert.Contains("Too many", problem, StringComparison.Ordinal);

        var fresh = Passport.Issuer.Offers.CredentialOffer.Create("RHQ", Guid.NewGuid(), [Guid.NewGuid()], "h", "p", "t", 6, "hr", time.GetUtcNow(), TimeSpan.FromMinutes(15));
        time.Advance(TimeSpan.FromMinutes(15));
        Assert.False(fresh.TryCountTxCodeAttempt(time.GetUtcNow(), out problem));
        Assert.Contains("expired", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_signed_a_wallet_delivery_stays_published_until_that_credential_expires_after_a_rotation()
    {
        // Seeded as issued with another key ("seed"): only the wallet delivery is signed with the organisation's active key.
        var (offer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            var nonce = await wallet.NonceAsync(offer.Issuer);
            using var delivered = await wallet.CredentialAsync(offer.Issuer, token, TestWallet.Request("training", wallet.Proof(offer.Issuer, nonce)));
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
            var sdJwt = (await delivered.Content.ReadFromJsonAsync<JsonObject>())!["credentials"]![0]!["credential"]!.GetValue<string>();
            Assert.True(CompactJws.TryParse(sdJwt[..sdJwt.IndexOf('~', StringComparison.Ordinal)], out var jws, out _));
            var expires = await app.WithDbAsync(db => db.Credentials.AsNoTracking().Where(c => c.Id == offer.CredentialId).Select(c => c.ExpiresAt).SingleAsync());

            using var admin = app.ClientFor(offer.Ods, PassportRoles.OrganisationAdmin);
            using var rotation = await admin.PostAsync(new Uri("/api/keys/rotate", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
            var retired = (await rotation.Content.ReadFromJsonAsync<Passport.Issuer.Keys.RotateKeyResponse>())!.Retired!;

            Assert.Equal(jws.KeyId, retired.Kid);
            Assert.True(retired.PublishUntil >= expires.AddSeconds(-1), $"published until {retired.PublishUntil}, the delivered credential expires {expires}");
        }
    }
}
