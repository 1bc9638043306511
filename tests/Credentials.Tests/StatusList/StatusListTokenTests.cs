using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Passport.Credentials.Jose;
using Passport.Credentials.StatusList;
using TokenStatusList = Passport.Credentials.StatusList.StatusList;

namespace Passport.Credentials.Tests.StatusList;

public sealed class StatusListTokenTests
{
    private const string IssuerBase = "https://issuer.example.nhs.uk/";
    private const string Uri = IssuerBase + "statuslists/1";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly EcdsaJwsSigner _signer = EcdsaJwsSigner.Generate("status-key-1");

    [Fact]
    public async Task A_created_token_verifies_and_gives_back_its_list_and_times()
    {
        var list = new TokenStatusList(1000, 2);
        list[7] = StatusType.Invalid;
        list[999] = StatusType.Suspended;
        var now = _time.GetUtcNow();
        var token = await StatusListToken.CreateAsync(new StatusListTokenClaims
        {
            Subject = Uri,
            List = list,
            IssuedAt = now,
            ExpiresAt = now.AddDays(1),
            TimeToLive = TimeSpan.FromHours(12),
            AggregationUri = "https://issuer.example.nhs.uk/statuslists",
        }, _signer, _signer.Reference, CancellationToken.None);

        Assert.True(Verifier().TryVerify(token, Uri, out var verified, out var error), error?.ToString());

        Assert.Equal(now, verified.IssuedAt);
        Assert.Equal(now.AddDays(1), verified.ExpiresAt);
        Assert.Equal(TimeSpan.FromHours(12), verified.TimeToLive);
        Assert.Equal("https://issuer.example.nhs.uk/statuslists", verified.AggregationUri);
        Assert.True(verified.TryLookup(7, out var revoked, out _));
        Assert.Equal(StatusType.Invalid, revoked);
        Assert.True(verified.TryLookup(999, out var suspended, out _));
        Assert.Equal(StatusType.Suspended, suspended);
        Assert.True(verified.TryLookup(8, out var valid, out _));
        Assert.Equal(StatusType.Valid, valid);
    }

    [Fact]
    public async Task A_created_token_has_the_statuslist_jwt_header_and_claims()
    {
        var token = await Create();

        Assert.True(CompactJws.TryParse(token, out var jws, out _));
        Assert.Equal("statuslist+jwt", jws.Type);
        Assert.Equal("ES256", jws.Algorithm);
        Assert.Equal(_signer.KeyId, jws.KeyId);
        Assert.Equal(Uri, jws.Payload.GetString("sub"));
        Assert.NotNull(jws.Payload["iat"]);
        Assert.NotNull(jws.Payload["exp"]);
        Assert.Equal(2, (int)jws.Payload["status_list"]!["bits"]!);
        Assert.NotNull(jws.Payload["status_list"]!["lst"]);
    }

    [Fact]
    public async Task Lookup_reports_an_index_beyond_the_list_as_status_index_out_of_range()
    {
        Assert.True(Verifier().TryVerify(await Create(), Uri, out var verified, out _));

        Assert.False(verified.TryLookup(verified.List.Size, out _, out var error));

        Assert.Equal(ErrorCodes.StatusIndexOutOfRange, error!.Code);
    }

    [Fact]
    public async Task Verify_rejects_a_token_for_another_status_list_uri()
    {
        var token = await Create();

        AssertRejected(token, ErrorCodes.SubjectMismatch, expectedUri: IssuerBase + "statuslists/2");
    }

    [Fact]
    public async Task Verify_compares_the_subject_exactly_without_normalising_it()
    {
        var token = await Create();

        AssertRejected(token, ErrorCodes.SubjectMismatch, expectedUri: IssuerBase + "StatusLists/1");
    }

    [Theory]
    [InlineData("jwt")]
    [InlineData("JWT")]
    [InlineData("dc+sd-jwt")]
    [InlineData("statuslist+cwt")]
    public async Task Verify_rejects_a_token_with_the_wrong_typ(string typ)
    {
        var token = await Sign(Header(typ: typ), Payload());

        AssertRejected(token, ErrorCodes.InvalidType);
    }

    [Fact]
    public async Task Verify_rejects_a_token_without_a_typ()
    {
        var header = Header();
        header.Remove("typ");

        AssertRejected(await Sign(header, Payload()), ErrorCodes.InvalidType);
    }

    [Fact]
    public async Task Verify_accepts_the_typ_with_its_application_prefix()
    {
        var token = await Sign(Header(typ: "application/statuslist+jwt"), Payload());

        Assert.True(Verifier().TryVerify(token, Uri, out _, out var error), error?.ToString());
    }

    [Fact]
    public async Task Verify_rejects_a_token_signed_by_another_key_under_a_trusted_kid()
    {
        var impostor = new EcdsaJwsSigner(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256), _signer.KeyId);
        var token = await CompactJws.SignAsync(Header(), Payload(), impostor, impostor.Reference, CancellationToken.None);

        AssertRejected(token, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task Verify_rejects_a_token_whose_payload_was_changed_after_signing()
    {
        var parts = (await Create()).Split('.');
        var payload = Payload();
        payload["exp"] = _time.GetUtcNow().AddYears(10).ToUnixTimeSeconds();
        var tampered = $"{parts[0]}.{Encode(payload)}.{parts[2]}";

        AssertRejected(tampered, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task Verify_rejects_a_token_signed_with_an_unknown_kid()
    {
        var stranger = EcdsaJwsSigner.Generate("someone-else");
        var token = await StatusListToken.CreateAsync(Claims(), stranger, stranger.Reference, CancellationToken.None);

        AssertRejected(token, ErrorCodes.UnknownKeyId);
    }

    [Fact]
    public async Task Verify_rejects_a_token_without_a_kid()
    {
        var header = Header();
        header.Remove("kid");
        var token = await CompactJws.SignAsync(header, Payload(), _signer, _signer.Reference, CancellationToken.None);

        AssertRejected(token, ErrorCodes.MissingKeyId);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    public void Verify_rejects_an_unsigned_token_whatever_the_case_of_none(string alg)
    {
        var header = Header();
        header["alg"] = alg;

        AssertRejected($"{Encode(header)}.{Encode(Payload())}.", ErrorCodes.AlgorithmNotAllowed);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("ES384")]
    [InlineData("RS256")]
    [InlineData("es256")]
    public async Task Verify_rejects_any_algorithm_but_ES256(string alg)
    {
        var valid = (await Create()).Split('.');
        var header = Header();
        header["alg"] = alg;

        AssertRejected($"{Encode(header)}.{valid[1]}.{valid[2]}", ErrorCodes.AlgorithmNotAllowed);
    }

    [Fact]
    public void Verify_checks_the_algorithm_before_the_type()
    {
        var header = Header(typ: "jwt");
        header["alg"] = "none";

        AssertRejected($"{Encode(header)}.{Encode(Payload())}.", ErrorCodes.AlgorithmNotAllowed);
    }

    [Theory]
    [InlineData("jwk")]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("x5c")]
    [InlineData("crit")]
    [InlineData("zip")]
    public async Task Verify_rejects_a_header_that_names_its_own_key_or_critical_extensions(string name)
    {
        var header = Header();
        header[name] = name == "jwk" ? _signer.PublicJwk.ToJson() : "https://attacker.example/key";

        AssertRejected(await Sign(header, Payload()), ErrorCodes.ForbiddenHeader);
    }

    [Fact]
    public async Task Verify_rejects_an_expired_token()
    {
        var token = await Create();
        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(60));

        AssertRejected(token, ErrorCodes.Expired);
    }

    [Fact]
    public async Task Verify_accepts_a_token_that_expired_within_the_clock_skew()
    {
        var token = await Create();
        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(59));

        Assert.True(Verifier().TryVerify(token, Uri, out _, out var error), error?.ToString());
    }

    [Fact]
    public async Task Verify_rejects_a_token_without_exp_unless_told_not_to_require_it()
    {
        var payload = Payload();
        payload.Remove("exp");
        var token = await Sign(Header(), payload);

        AssertRejected(token, ErrorCodes.MissingClaim);
        Assert.True(Verifier(new StatusListVerifierOptions { RequireExpiry = false }).TryVerify(token, Uri, out var verified, out _));
        Assert.Null(verified.ExpiresAt);
    }

    [Fact]
    public async Task Verify_rejects_a_token_without_iat()
    {
        var payload = Payload();
        payload.Remove("iat");

        AssertRejected(await Sign(Header(), payload), ErrorCodes.MissingClaim);
    }

    [Fact]
    public async Task Verify_rejects_a_token_issued_in_the_future()
    {
        var payload = Payload();
        payload["iat"] = _time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();

        AssertRejected(await Sign(Header(), payload), ErrorCodes.IssuedInFuture);
    }

    [Fact]
    public async Task Verify_rejects_a_token_without_sub()
    {
        var payload = Payload();
        payload.Remove("sub");

        AssertRejected(await Sign(Header(), payload), ErrorCodes.MissingClaim);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-60")]
    [InlineData("1.5")]
    [InlineData("\"3600\"")]
    [InlineData("null")]
    public async Task Verify_rejects_a_ttl_that_is_not_a_positive_whole_number(string ttlJson)
    {
        var payload = Payload();
        payload["ttl"] = JsonNode.Parse(ttlJson);

        AssertRejected(await Sign(Header(), payload), ErrorCodes.InvalidClaim);
    }

    [Fact]
    public async Task Verify_accepts_a_token_without_ttl()
    {
        var payload = Payload();
        payload.Remove("ttl");

        Assert.True(Verifier().TryVerify(await Sign(Header(), payload), Uri, out var verified, out var error), error?.ToString());
        Assert.Null(verified.TimeToLive);
    }

    [Fact]
    public async Task Verify_rejects_a_token_without_a_status_list()
    {
        var payload = Payload();
        payload.Remove("status_list");

        AssertRejected(await Sign(Header(), payload), ErrorCodes.MissingClaim);
    }

    [Theory]
    [InlineData("\"eNrbuRgAAhcBXQ\"")]
    [InlineData("{\"lst\":\"eNrbuRgAAhcBXQ\"}")]
    [InlineData("{\"bits\":3,\"lst\":\"eNrbuRgAAhcBXQ\"}")]
    [InlineData("{\"bits\":\"1\",\"lst\":\"eNrbuRgAAhcBXQ\"}")]
    [InlineData("{\"bits\":1.5,\"lst\":\"eNrbuRgAAhcBXQ\"}")]
    [InlineData("{\"bits\":1}")]
    [InlineData("{\"bits\":1,\"lst\":42}")]
    [InlineData("{\"bits\":1,\"lst\":\"eNrbuRgAAhcBXQ==\"}")]
    [InlineData("{\"bits\":1,\"lst\":\"bm90IHpsaWI\"}")]
    [InlineData("{\"bits\":1,\"lst\":\"eNrbuRgAAhcBXQ\",\"aggregation_uri\":7}")]
    public async Task Verify_rejects_a_malformed_status_list(string statusListJson)
    {
        var payload = Payload();
        payload["status_list"] = JsonNode.Parse(statusListJson);

        AssertRejected(await Sign(Header(), payload), ErrorCodes.InvalidStatusList);
    }

    [Fact]
    public async Task Verify_rejects_a_status_list_that_decompresses_past_the_limit()
    {
        var payload = Payload();
        payload["status_list"] = new JsonObject { ["bits"] = 1, ["lst"] = Zlib.Bomb(8L * 1024 * 1024) };
        var token = await Sign(Header(), payload);

        AssertRejected(token, ErrorCodes.StatusListTooLarge, options: new StatusListVerifierOptions { MaxDecompressedBytes = 1024 * 1024 });
    }

    [Fact]
    public async Task Verify_rejects_a_token_longer_than_the_limit_before_decoding_it()
    {
        var token = await Create();

        AssertRejected(token, ErrorCodes.TooLarge, options: new StatusListVerifierOptions { MaxTokenLength = token.Length - 1 });
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("not a jwt")]
    [InlineData("e31.e30.")]
    public void Verify_rejects_a_value_that_is_not_a_compact_jws(string token)
    {
        AssertRejected(token, ErrorCodes.MalformedJwt);
    }

    [Fact]
    public void Verify_rejects_a_payload_that_repeats_a_member()
    {
        var header = Encode(Header());
        var payload = Base64UrlStrict.Encode(Encoding.UTF8.GetBytes($"{{\"sub\":\"{Uri}\",\"sub\":\"{Uri}\"}}"));

        AssertRejected($"{header}.{payload}.", ErrorCodes.DuplicateMember);
    }

    private StatusListTokenVerifier Verifier(StatusListVerifierOptions? options = null) =>
        new((uri, kid) => uri.StartsWith(IssuerBase, StringComparison.Ordinal) && kid == _signer.KeyId ? _signer.PublicJwk : null, _time, options);

    private void AssertRejected(string token, string code, string expectedUri = Uri, StatusListVerifierOptions? options = null)
    {
        Assert.False(Verifier(options).TryVerify(token, expectedUri, out _, out var error));
        Assert.Equal(code, error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    private StatusListTokenClaims Claims()
    {
        var list = new TokenStatusList(16, 2);
        list[3] = StatusType.Invalid;
        return new StatusListTokenClaims
        {
            Subject = Uri,
            List = list,
            IssuedAt = _time.GetUtcNow(),
            ExpiresAt = _time.GetUtcNow().AddDays(1),
            TimeToLive = TimeSpan.FromHours(1),
        };
    }

    private Task<string> Create() => StatusListToken.CreateAsync(Claims(), _signer, _signer.Reference, CancellationToken.None).AsTask();

    private JsonObject Header(string typ = "statuslist+jwt") => new() { ["typ"] = typ, ["kid"] = _signer.KeyId };

    private JsonObject Payload() => new()
    {
        ["sub"] = Uri,
        ["iat"] = _time.GetUtcNow().ToUnixTimeSeconds(),
        ["exp"] = _time.GetUtcNow().AddDays(1).ToUnixTimeSeconds(),
        ["ttl"] = 3600,
        ["status_list"] = new JsonObject { ["bits"] = 1, ["lst"] = "eNrbuRgAAhcBXQ" },
    };

    private Task<string> Sign(JsonObject header, JsonObject payload) =>
        CompactJws.SignAsync(header, payload, _signer, _signer.Reference, CancellationToken.None).AsTask();

    private static string Encode(JsonObject json) => Base64UrlStrict.Encode(StrictJson.Serialize(json));
}
