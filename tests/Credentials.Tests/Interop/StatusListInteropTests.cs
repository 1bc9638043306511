using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Credentials.StatusList;
using static Passport.Credentials.Tests.Interop.InteropParties;
using TokenStatusList = Passport.Credentials.StatusList.StatusList;

namespace Passport.Credentials.Tests.Interop;

/// <summary>Token Status List both ways with the OpenWallet Foundation's @sd-jwt/jwt-status-list, run by tests/interop/peer.mjs.</summary>
public sealed class StatusListInteropTests
{
    private const int Size = 101;
    private static readonly TimeSpan TimeToLive = TimeSpan.FromHours(12);

    private readonly InteropParties _parties = new();

    [Fact]
    public async Task A_two_bit_list_the_independent_library_builds_reads_the_same_here()
    {
        var statuses = RevokedAndSuspended();
        var token = await CreateInPeerAsync(2, statuses);

        var list = VerifyHere(token);

        Assert.Equal(2, list.List.Bits);
        Assert.Equal(statuses, Read(list.List, Size));
        Assert.Equal(Now, list.IssuedAt);
        Assert.Equal(Now.AddDays(1), list.ExpiresAt);
        Assert.Equal(TimeToLive, list.TimeToLive);
    }

    [Fact]
    public async Task A_two_bit_list_we_build_reads_the_same_in_the_independent_library()
    {
        var statuses = RevokedAndSuspended();
        var token = await CreateHereAsync(2, statuses);

        var theirs = await ReadInPeerAsync(token);

        Assert.Equal(2, theirs["bits"]!.GetValue<int>());
        Assert.Equal(statuses, ReadPeerStatuses(theirs));
        Assert.Equal(StatusListToken.Type, theirs["header"]!["typ"]!.GetValue<string>());
        Assert.Equal(StatusListUri, theirs["payload"]!["sub"]!.GetValue<string>());
        Assert.Equal((long)TimeToLive.TotalSeconds, theirs["payload"]!["ttl"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task Lists_of_every_other_width_read_the_same_both_ways(int bits)
    {
        var statuses = Enumerable.Range(0, Size).Select(i => (byte)((i * 7 + i / 5) % (1 << bits))).ToArray();

        var theirsReadHere = VerifyHere(await CreateInPeerAsync(bits, statuses));
        var oursReadThere = await ReadInPeerAsync(await CreateHereAsync(bits, statuses));

        Assert.Equal(statuses, Read(theirsReadHere.List, Size));
        Assert.Equal(statuses, ReadPeerStatuses(oursReadThere));
    }

    [Fact]
    public async Task The_independent_library_finds_our_credential_suspended_in_our_status_list()
    {
        var statuses = RevokedAndSuspended();
        Assert.Equal(StatusType.Suspended, statuses[64]);
        var issued = await _parties.IssueHereAsync(new StatusReference(64, StatusListUri));
        var presentation = await _parties.PresentHereAsync(issued.Serialized, Requested());

        var theirs = await _parties.VerifyInPeerAsync(presentation, statusListToken: await CreateHereAsync(2, statuses));

        Assert.True(theirs.Succeeded, theirs.Error);
        Assert.Equal(StatusType.Suspended, theirs.Result!["status"]!.GetValue<byte>());
    }

    private static byte[] RevokedAndSuspended()
    {
        var statuses = new byte[Size];
        foreach (var revoked in new[] { 3, 42, 100 })
            statuses[revoked] = StatusType.Invalid;
        foreach (var suspended in new[] { 7, 64 })
            statuses[suspended] = StatusType.Suspended;
        statuses[12] = StatusType.ApplicationSpecific;
        return statuses;
    }

    private async Task<string> CreateHereAsync(int bits, byte[] statuses)
    {
        var list = new TokenStatusList(statuses.Length, bits);
        for (var i = 0; i < statuses.Length; i++)
            list[i] = statuses[i];
        return await StatusListToken.CreateAsync(new StatusListTokenClaims
        {
            Subject = StatusListUri,
            Issuer = IssuerId,
            List = list,
            IssuedAt = Now,
            ExpiresAt = Now.AddDays(1),
            TimeToLive = TimeToLive,
        }, _parties.Issuer.Signer, _parties.Issuer.Signer.Reference, CancellationToken.None);
    }

    private async Task<string> CreateInPeerAsync(int bits, byte[] statuses)
    {
        var answer = await NodePeer.RunAsync(new JsonObject
        {
            ["op"] = "statuslist-create",
            ["signingJwk"] = _parties.Issuer.PrivateJwkJson(),
            ["bits"] = bits,
            ["statuses"] = new JsonArray([.. statuses.Select(s => (JsonNode)s)]),
            ["sub"] = StatusListUri,
            ["iss"] = IssuerId,
            ["iat"] = Now.ToUnixTimeSeconds(),
            ["exp"] = Now.AddDays(1).ToUnixTimeSeconds(),
            ["ttl"] = (long)TimeToLive.TotalSeconds,
        });
        return answer["token"]!.GetValue<string>();
    }

    private Task<JsonObject> ReadInPeerAsync(string token) =>
        NodePeer.RunAsync(new JsonObject
        {
            ["op"] = "statuslist-read",
            ["token"] = token,
            ["issuerJwk"] = _parties.Issuer.PublicJwkJson(),
            ["currentDate"] = Now.ToUnixTimeSeconds(),
            ["indexes"] = new JsonArray([.. Enumerable.Range(0, Size).Select(i => (JsonNode)i)]),
        });

    private VerifiedStatusList VerifyHere(string token)
    {
        var issuerKey = _parties.Issuer.PublicJwk;
        var verifier = new StatusListTokenVerifier((_, kid) => kid == issuerKey.KeyId ? issuerKey : null, _parties.Time);
        Assert.True(verifier.TryVerify(token, StatusListUri, out var list, out var error), error?.ToString());
        return list;
    }

    private static byte[] Read(TokenStatusList list, int count) =>
        [.. Enumerable.Range(0, count).Select(i => list[i])];

    private static byte[] ReadPeerStatuses(JsonObject answer) =>
        [.. Enumerable.Range(0, Size).Select(i => answer["statuses"]![i.ToString(System.Globalization.CultureInfo.InvariantCulture)]!.GetValue<byte>())];
}
