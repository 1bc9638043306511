namespace Passport.Web.Api;

public sealed record AidCounts(int Members, int WaitingForConsent, int Declined, int WaitingForDecision, int Accepted, int NotAccepted, int Deployed);

public sealed record AidRequestSummary(
    Guid Id, string HostOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, DateTimeOffset RaisedAt, int Members, string? RaisedByOdsCode = null);

public sealed record AidMember(
    Guid MemberId, Guid StaffId, string GivenName, string FamilyName, string AssignmentNumber, string? StaffGroup, string? JobTitle, string State,
    string? Reason, string? AnswerMethod, DateTimeOffset? AnsweredAt);

public sealed record AidRequest(
    Guid Id, string HostOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, DateTimeOffset RaisedAt, AidCounts Counts, IReadOnlyList<AidMember> Members,
    string? RaisedByOdsCode = null);

public sealed record MyAidRequest(
    Guid MemberId, Guid RequestId, string HostOdsCode, string Role, DateOnly Start, DateOnly End, string State, string? Reason, DateTimeOffset? AnsweredAt,
    string? AnswerMethod, string? WalletLink, DateTimeOffset? WalletLinkExpiresAt);

public sealed record HostedAidSummary(Guid RequestId, string HomeOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, int Consented, int Decided, int Accepted, int Deployed);

public sealed record HostedAidMember(Guid MemberId, Guid StaffId, string? GivenName, string? FamilyName, string State, string? Reason, Guid? DeploymentId);

public sealed record HostedAidRequest(
    Guid RequestId, string HomeOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, string StartAll, string? HostSite, IReadOnlyList<HostedAidMember> Members);

public sealed record PartnerAgreement(
    Guid Id, string Title, string HostOdsCode, DateOnly StartsOn, DateOnly EndsOn, int MaxDeploymentDays, bool HostMayRaiseMutualAid, IReadOnlyList<string> Roles);

public sealed record AidCandidate(Guid Id, string GivenName, string FamilyName, string AssignmentNumber, string? StaffGroup, string? JobTitle);

public sealed record AidCandidatePage(
    IReadOnlyList<AidCandidate> Items, int Page, int PageSize, int Total, IReadOnlyList<string> StaffGroups, IReadOnlyList<string> JobTitles);

public sealed record RaisableAgreement(
    Guid Id, string Title, DateOnly StartsOn, DateOnly EndsOn, int MaxDeploymentDays, IReadOnlyList<string> HomeOdsCodes, IReadOnlyList<string> Roles);

public sealed record AidVisitor(string HomeOdsCode, Guid StaffId, string? GivenName, string? FamilyName, DateOnly LastStart, DateOnly LastEnd);

public sealed record HostAidRaise(
    Guid RequestId, string HomeOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, string RaisedBy, DateTimeOffset RaisedAt, int Named,
    string State, int? Asked, int NotFoundCount, IReadOnlyList<string> NotFound, DateTimeOffset? AnsweredAt);

/// <summary>The home organisation's mutual-aid API (the Issuer), called with the signed-in person's access token.</summary>
public sealed class MutualAidHomeApi(HttpClient http) : ApiClient(http)
{
    public Task<ApiResult<List<AidRequestSummary>>> RequestsAsync(CancellationToken ct) => GetAsync<List<AidRequestSummary>>("api/mutual-aid-requests", ct);

    public Task<ApiResult<AidRequest>> RequestAsync(Guid id, CancellationToken ct) => GetAsync<AidRequest>($"api/mutual-aid-requests/{id}", ct);

    public Task<ApiResult<AidCandidatePage>> CandidatesAsync(string? staffGroup, string? jobTitle, string? search, int pageSize, CancellationToken ct) =>
        GetAsync<AidCandidatePage>($"api/mutual-aid-requests/staff?staffGroup={Uri.EscapeDataString(staffGroup ?? "")}&jobTitle={Uri.EscapeDataString(jobTitle ?? "")}"
            + $"&search={Uri.EscapeDataString(search ?? "")}&pageSize={pageSize}", ct);

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
    /// <summary>For the home organisation's HR: the hosts' agreements that name it as a party.</summary>
    public Task<ApiResult<List<PartnerAgreement>>> PartnerAgreementsAsync(CancellationToken ct) => GetAsync<List<PartnerAgreement>>("api/partner-agreements", ct);

    public Task<ApiResult<List<HostedAidSummary>>> RequestsAsync(CancellationToken ct) => GetAsync<List<HostedAidSummary>>("api/mutual-aid", ct);

    public Task<ApiResult<HostedAidRequest>> RequestAsync(Guid id, CancellationToken ct) => GetAsync<HostedAidRequest>($"api/mutual-aid/{id}", ct);

    public Task<ApiResult<List<RaisableAgreement>>> RaisableAgreementsAsync(CancellationToken ct) => GetAsync<List<RaisableAgreement>>("api/mutual-aid/agreements", ct);

    public Task<ApiResult<List<AidVisitor>>> VisitorsAsync(CancellationToken ct) => GetAsync<List<AidVisitor>>("api/mutual-aid/visitors", ct);

    public Task<ApiResult<List<HostAidRaise>>> RaisedAsync(CancellationToken ct) => GetAsync<List<HostAidRaise>>("api/mutual-aid/raised", ct);

    public Task<ApiResult<HostAidRaise>> RaiseAsync(
        Guid agreementId, string? homeOdsCode, string? role, DateOnly? start, DateOnly? end, IReadOnlyList<Guid>? staffIds, string? csv, CancellationToken ct) =>
        PostAsync<HostAidRaise>("api/mutual-aid", new { agreementId, homeOdsCode, role, start, end, staffIds, csv }, ct);

    public Task<ApiResult<HostedAidRequest>> StartAllAsync(Guid id, string? hostSite, CancellationToken ct) =>
        PostAsync<HostedAidRequest>($"api/mutual-aid/{id}/start", new { hostSite }, ct);
}
