using System.Text.Json.Nodes;

namespace Passport.Web.Api;

public sealed record AgreementSummary(Guid Id, string Title, int CurrentVersion, DateTimeOffset UpdatedAt);

public sealed record Agreement(Guid Id, string OdsCode, string Title, int Version, AgreementDocument Document);

public sealed record AgreementDocument(
    string? Title, IReadOnlyList<string>? Parties, DateOnly? StartsOn, DateOnly? EndsOn, IReadOnlyList<string>? StaffGroups, int? MaxDeploymentDays,
    bool? HomeApprovalRequired, IReadOnlyList<AgreementRole>? Roles, bool? HostMayRaiseMutualAid = null);

public sealed record AgreementRole(string? Role, IReadOnlyList<AgreementRequirement>? Requirements, bool? AcceptsHostedWallet = null);

public sealed record AgreementRequirement(string? Id, string? Vct, string? Description, JsonArray? Conditions);

public sealed record PresentationRequest(
    Guid Id, Guid AgreementId, string Role, DateOnly Start, DateOnly End, string State, string DeepLink, DateTimeOffset ExpiresAt, Guid? DecisionId);

public sealed record CredentialReference(string Issuer, string Vct, DateTimeOffset? ExpiresAt);

public sealed record RequirementOutcome(string Id, string Vct, string Outcome, string Reason, CredentialReference? Credential, JsonObject? Claims);

public sealed record Decision(
    Guid Id, Guid? RequestId, Guid AgreementId, string Role, DateOnly Start, DateOnly End, bool Accepted, DateTimeOffset DecidedAt,
    IReadOnlyList<RequirementOutcome> Requirements, string? Subject, string? SubjectIssuer, string? GivenName = null, string? FamilyName = null,
    string? Route = null, HostedWalletRoute? HostedWallet = null);

/// <summary>The decision's presentation came from the home organisation's hosted wallet, with this consent.</summary>
public sealed record HostedWalletRoute(string HostedBy, string ConsentMethod, DateTimeOffset ConsentGivenAt, string? ConsentRecordedBy);

public sealed record DeploymentFlag(Guid CredentialId, string Kind, string Reason, DateTimeOffset FlaggedAt);

public sealed record DeploymentCredential(string Vct, DateTimeOffset? ExpiresAt);

public sealed record Deployment(
    Guid Id, string HostOdsCode, string HomeOdsCode, Guid StaffId, Guid AgreementId, Guid DecisionId, string HostSite, DateOnly Start, DateOnly End,
    DateOnly LatestEnd, string State, string? DeclineReason, DateOnly? EndedOn, bool Flagged, IReadOnlyList<DeploymentFlag> Flags,
    IReadOnlyList<DeploymentCredential> Credentials, DateTimeOffset CreatedAt, string? GivenName = null, string? FamilyName = null);

/// <summary>The Verifier's HTTP API, called with the signed-in person's access token.</summary>
public sealed record AgreementChange(int Version, string Action, string Actor, DateTimeOffset At);

public sealed record VerifierProfile(string OdsCode, string Name, string ClientId, DateTimeOffset UpdatedAt);

public sealed class VerifierApi(HttpClient http) : ApiClient(http)
{
    public Task<ApiResult<List<AgreementSummary>>> AgreementsAsync(CancellationToken ct) => GetAsync<List<AgreementSummary>>("api/agreements", ct);

    public Task<ApiResult<Agreement>> AgreementAsync(Guid id, CancellationToken ct) => GetAsync<Agreement>($"api/agreements/{id}", ct);

    public Task<ApiResult<PresentationRequest>> AskAsync(Guid agreementId, string role, DateOnly start, DateOnly end, CancellationToken ct) =>
        PostAsync<PresentationRequest>("api/presentation-requests", new { agreementId, role, start, end }, ct);

    public Task<ApiResult<PresentationRequest>> RequestAsync(Guid id, CancellationToken ct) => GetAsync<PresentationRequest>($"api/presentation-requests/{id}", ct);

    public Task<ApiResult<byte[]>> RequestQrPngAsync(Guid id, CancellationToken ct) => GetAsync<byte[]>($"api/presentation-requests/{id}/qr.png", ct);

    public Task<ApiResult<Decision>> DecisionAsync(Guid id, CancellationToken ct) => GetAsync<Decision>($"api/decisions/{id}", ct);

    public Task<ApiResult<Deployment>> StartDeploymentAsync(Guid decisionId, string homeOdsCode, Guid staffId, string? hostSite, DateOnly? start, DateOnly? end, CancellationToken ct) =>
        PostAsync<Deployment>("api/deployments", new { decisionId, homeOdsCode, staffId, hostSite, start, end }, ct);

    public Task<ApiResult<List<Deployment>>> DeploymentsAsync(string? state, CancellationToken ct) =>
        GetAsync<List<Deployment>>($"api/deployments{(state is null ? "" : "?state=" + Uri.EscapeDataString(state))}", ct);

    public Task<ApiResult<Deployment>> DeploymentAsync(Guid id, CancellationToken ct) => GetAsync<Deployment>($"api/deployments/{id}", ct);

    public Task<ApiResult<Deployment>> ExtendAsync(Guid id, DateOnly? newEnd, CancellationToken ct) => PostAsync<Deployment>($"api/deployments/{id}/extend", new { newEnd }, ct);

    public Task<ApiResult<Deployment>> EndAsync(Guid id, CancellationToken ct) => PostAsync<Deployment>($"api/deployments/{id}/end", new { }, ct);

    public Task<ApiResult<VerifierProfile>> ProfileAsync(CancellationToken ct) => GetAsync<VerifierProfile>("api/verifier-profile", ct);

    public Task<ApiResult<VerifierProfile>> SaveProfileAsync(string? name, CancellationToken ct) => PutAsync<VerifierProfile>("api/verifier-profile", new { name }, ct);

    private static readonly System.Text.Json.JsonSerializerOptions WithoutNulls =
        new(ApiJson.Options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public Task<ApiResult<Agreement>> CreateAgreementAsync(AgreementDocument document, CancellationToken ct) =>
        PostAsync<Agreement>("api/agreements", System.Net.Http.Json.JsonContent.Create(document, options: WithoutNulls), ct);

    public Task<ApiResult<Agreement>> UpdateAgreementAsync(Guid id, AgreementDocument document, CancellationToken ct) =>
        PutAsync<Agreement>($"api/agreements/{id}", System.Net.Http.Json.JsonContent.Create(document, options: WithoutNulls), ct);

    public Task<ApiResult<List<AgreementChange>>> AgreementHistoryAsync(Guid id, CancellationToken ct) => GetAsync<List<AgreementChange>>($"api/agreements/{id}/audit", ct);
}
