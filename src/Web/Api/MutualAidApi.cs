namespace Passport.Web.Api;

public sealed record AidCounts(int Members, int WaitingForConsent, int Declined, int WaitingForDecision, int Accepted, int NotAccepted, int Deployed);

public sealed record AidRequestSummary(Guid Id, string HostOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, DateTimeOffset RaisedAt, int Members);

public sealed record AidMember(
    Guid MemberId, Guid StaffId, string GivenName, string FamilyName, string AssignmentNumber, string? StaffGroup, string? JobTitle, string State,
    string? Reason, string? AnswerMethod, DateTimeOffset? AnsweredAt);

public sealed record AidRequest(
    Guid Id, string HostOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, DateTimeOffset RaisedAt, AidCounts Counts, IReadOnlyList<AidMember> Members);

public sealed record MyAidRequest(
    Guid MemberId, Guid RequestId, string HostOdsCode, string Role, DateOnly Start, DateOnly End, string State, string? Reason, DateTimeOffset? AnsweredAt,
    string? AnswerMethod, string? WalletLink, DateTimeOffset? WalletLinkExpiresAt);

public sealed record HostedAidSummary(Guid RequestId, string HomeOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, int Consented, int Decided, int Accepted, int Deployed);

public sealed record HostedAidMember(Guid MemberId, Guid StaffId, string? GivenName, string? FamilyName, string State, string? Reason, Guid? DeploymentId);

public sealed record HostedAidRequest(
    Guid RequestId, string HomeOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, string StartAll, string? HostSite, IReadOnlyList<HostedAidMember> Members);

/// <summary>The home organisation's mutual-aid API (the Issuer), called with the signed-in person's access token.</summary>
public sealed class MutualAidHomeApi(HttpClient http) : ApiClient(http)
{
    public Task<ApiResult<List<AidRequestSummary>>> RequestsAsync(CancellationToken ct) => GetAsync<List<AidRequestSummary>>("api/mutual-aid-requests", ct);

    public Task<ApiResult<AidRequest>> RequestAsync(Guid id, CancellationToken ct) => GetAsync<AidRequest>($"api/mutual-aid-requests/{id}", ct);

    public Task<ApiResult<AidRequest>> RaiseAsync(
        string? hostOdsCode, Guid? agreementId, string? role, DateOnly? start, DateOnly? end, IReadOnlyList<Guid>? staffIds, string? staffGroup, string? jobTitle,
        string? csv, CancellationToken ct) =>
        PostAsync<AidRequest>("api/mutual-aid-requests", new { hostOdsCode, agreementId, role, start, end, staffIds, staffGroup, jobTitle, csv }, ct);

    public Task<ApiResult<AidMember>> RecordAnswerAsync(Guid id, Guid memberId, string? answer, string? method, string? note, CancellationToken ct) =>
        PostAsync<AidMember>($"api/mutual-aid-requests/{id}/members/{memberId}/answer", new { answer, method, note }, ct);

    public Task<ApiResult<List<MyAidRequest>>> MineAsync(CancellationToken ct) => GetAsync<List<MyAidRequest>>("api/me/mutual-aid", ct);

    public Task<ApiResult<MyAidRequest>> MineAsync(Guid memberId, CancellationToken ct) => GetAsync<MyAidRequest>($"api/me/mutual-aid/{memberId}", ct);

    public Task<ApiResult<MyAidRequest>> AnswerAsync(Guid memberId, bool consent, CancellationToken ct) =>
        PostAsync<MyAidRequest>($"api/me/mutual-aid/{memberId}/{(consent ? "consent" : "decline")}", new { }, ct);
}

/// <summary>The host's mutual-aid API (the Verifier), called with the signed-in person's access token.</summary>
public sealed class MutualAidHostApi(HttpClient http) : ApiClient(http)
{
    public Task<ApiResult<List<HostedAidSummary>>> RequestsAsync(CancellationToken ct) => GetAsync<List<HostedAidSummary>>("api/mutual-aid", ct);

    public Task<ApiResult<HostedAidRequest>> RequestAsync(Guid id, CancellationToken ct) => GetAsync<HostedAidRequest>($"api/mutual-aid/{id}", ct);

    public Task<ApiResult<HostedAidRequest>> StartAllAsync(Guid id, string? hostSite, CancellationToken ct) =>
        PostAsync<HostedAidRequest>($"api/mutual-aid/{id}/start", new { hostSite }, ct);
}
