using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Passport.Web.Api;

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public sealed record Organisation(string OdsCode, string Name, string IssuerId);

public sealed record StaffSummary(Guid Id, string GivenName, string FamilyName, string AssignmentNumber, string? JobTitle);

public sealed record Registration(string Register, string Number, string Status, DateOnly? ExpiresOn);

public sealed record StaffRecord(
    Guid Id, string OdsCode, string GivenName, string FamilyName, DateOnly DateOfBirth, string AssignmentNumber, string? StaffGroup, string? JobTitle,
    string? Subject, IReadOnlyList<Registration> Registrations, string? Email = null, string? Mobile = null);

public sealed record StaffInput(
    string? GivenName, string? FamilyName, string? DateOfBirth, string? AssignmentNumber, string? StaffGroup, string? JobTitle, string? Subject,
    string? Email = null, string? Mobile = null);

public sealed record CredentialSummary(
    Guid Id, string Type, string Status, string? StatusReason, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, bool Expired, string? SourceReference, Guid? ReplacesId);

public sealed record CredentialDetail(
    Guid Id, Guid StaffId, string Type, string Vct, string Status, string? StatusReason, DateTimeOffset? StatusChangedAt, DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt, bool Expired, Guid? ReplacesId, JsonObject? Claims);

public sealed record CatalogueField(
    string Name, string Label, string Kind, bool Required, bool Input, string? Description, IReadOnlyList<string>? Choices, string? Format, int? MaxLength,
    IReadOnlyList<CatalogueField>? Items);

public sealed record CatalogueType(string Type, string Vct, string Name, string Description, string ExpiryRule, IReadOnlyList<CatalogueField> Claims);

public sealed record AuditEntry(long Id, DateTimeOffset At, string Action, string Actor, Guid? StaffId, Guid? CredentialId, string? Reason);

public sealed record Offer(Guid Id, Guid StaffId, IReadOnlyList<Guid> CredentialIds, string OfferUri, string TxCode, DateTimeOffset ExpiresAt);

public sealed record WalletNotification(
    Guid Id, Guid StaffId, Guid CredentialId, string CredentialType, Guid OfferId, DateTimeOffset DeliveredAt, string? Event, string? Reason,
    string? Description, DateTimeOffset? ReceivedAt, bool NeedsResolution, DateTimeOffset? ResolvedAt, string? Resolution);

public sealed record RowError(int Line, string Field, string Reason);

public sealed record ImportJob(
    Guid Id, string FileName, string State, int TotalRows, int ProcessedRows, int Issued, int Unchanged, int StaffCreated, int StaffUpdated, int Failed,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? FailureReason, IReadOnlyList<RowError> Errors);

public sealed record HomeDeploymentEvent(string Event, DateTimeOffset At, string? Detail);

public sealed record HomeDeployment(
    Guid Id, Guid StaffId, string HostOdsCode, string? HostSite, Guid AgreementId, DateOnly Start, DateOnly End, string State, DateTimeOffset UpdatedAt,
    IReadOnlyList<HomeDeploymentEvent> History);

public sealed record MyCredential(
    Guid Id, string Type, string Name, string Status, string? StatusReason, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, bool Expired, JsonObject? Claims);

public sealed record OrganisationSettings(string OdsCode, string Name, string IssuerId, DateTimeOffset CreatedAt);

public sealed record SigningKey(string Kid, DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt, DateTimeOffset? RetiredAt, DateTimeOffset? PublishUntil);

public sealed record KeyRotation(SigningKey Active, SigningKey? Retired);

public sealed record EnrolmentCode(Guid StaffId, string Code, DateTimeOffset ExpiresAt);

public sealed record Enrolment(Guid StaffId, string GivenName, string FamilyName);

public sealed record PlacementOffer(Guid Id, string OfferUri, string CredentialOfferUri, string TxCode, DateTimeOffset ExpiresAt);

public sealed record Placement(
    Guid DeploymentId, string HostOdsCode, string HostName, string HomeOdsCode, Guid? HomeStaffId, string? GivenName, string? FamilyName,
    string Department, DateOnly Start, DateOnly End, Guid? AgreementId, string State, string? Reason, DateTimeOffset? WithdrawnAt, Guid? CredentialId,
    PlacementOffer? Offer, string? HolderKeyThumbprint = null)
{
    /// <summary>Offered to <paramref name="wallet"/>'s key and still open: HR or the person collects it there, since no app can scan it.</summary>
    public bool WaitsFor(HostedWallet? wallet) => wallet is not null && Offer is not null && State == "offered" && HolderKeyThumbprint == wallet.HolderKeyThumbprint;
}

public sealed record MyPassport(Guid StaffId, string OdsCode, string GivenName, string FamilyName, IReadOnlyList<MyCredential> Credentials);

/// <summary>The Issuer's HTTP API, called with the signed-in person's access token.</summary>
public sealed partial class IssuerApi(HttpClient http) : ApiClient(http)
{
    public Task<ApiResult<List<Organisation>>> OrganisationsAsync(CancellationToken ct) => GetAsync<List<Organisation>>("api/organisations", ct);

    public Task<ApiResult<List<CatalogueType>>> CatalogueAsync(CancellationToken ct) => GetAsync<List<CatalogueType>>("api/catalogue", ct);

    public Task<ApiResult<PageOf<StaffSummary>>> SearchStaffAsync(string? search, int page, int pageSize, CancellationToken ct) =>
        GetAsync<PageOf<StaffSummary>>($"api/staff?search={Uri.EscapeDataString(search ?? "")}&page={page}&pageSize={pageSize}", ct);

    public Task<ApiResult<StaffRecord>> StaffAsync(Guid id, CancellationToken ct) => GetAsync<StaffRecord>($"api/staff/{id}", ct);

    public Task<ApiResult<StaffRecord>> CreateStaffAsync(StaffInput input, CancellationToken ct) => PostAsync<StaffRecord>("api/staff", input, ct);

    public Task<ApiResult<StaffRecord>> UpdateStaffAsync(Guid id, StaffInput input, CancellationToken ct) => PutAsync<StaffRecord>($"api/staff/{id}", input, ct);

    public Task<ApiResult<List<CredentialSummary>>> CredentialsAsync(Guid staffId, CancellationToken ct) => GetAsync<List<CredentialSummary>>($"api/staff/{staffId}/credentials", ct);

    public Task<ApiResult<CredentialDetail>> CredentialAsync(Guid id, CancellationToken ct) => GetAsync<CredentialDetail>($"api/credentials/{id}", ct);

    public Task<ApiResult<CredentialDetail>> IssueAsync(Guid staffId, string type, JsonObject claims, string? reason, CancellationToken ct) =>
        PostAsync<CredentialDetail>($"api/staff/{staffId}/credentials", new { type, claims, reason }, ct);

    public Task<ApiResult<CredentialDetail>> ReissueAsync(Guid id, string? reason, CancellationToken ct) =>
        PostAsync<CredentialDetail>($"api/credentials/{id}/reissue", new { reason }, ct);

    /// <summary><paramref name="action"/> is revoke, suspend or reinstate.</summary>
    public Task<ApiResult<JsonObject>> ChangeStatusAsync(Guid id, string action, string? reason, string? note, CancellationToken ct) =>
        PostAsync<JsonObject>($"api/credentials/{id}/{action}", new { reason, note }, ct);

    public Task<ApiResult<List<AuditEntry>>> HistoryAsync(Guid staffId, CancellationToken ct) => GetAsync<List<AuditEntry>>($"api/staff/{staffId}/history", ct);

    public Task<ApiResult<Offer>> OfferAsync(Guid staffId, CancellationToken ct) => PostAsync<Offer>($"api/staff/{staffId}/offers", new { }, ct);

    public Task<ApiResult<byte[]>> OfferQrPngAsync(Guid offerId, CancellationToken ct) => GetAsync<byte[]>($"api/offers/{offerId}/qr.png", ct);

    public Task<ApiResult<List<WalletNotification>>> NotificationsAsync(bool unresolvedOnly, CancellationToken ct) =>
        GetAsync<List<WalletNotification>>($"api/notifications{(unresolvedOnly ? "?unresolved=true" : "")}", ct);

    public Task<ApiResult<WalletNotification>> ResolveAsync(Guid id, string resolution, CancellationToken ct) =>
        PostAsync<WalletNotification>($"api/notifications/{id}/resolve", new { resolution }, ct);

    public Task<ApiResult<ImportJob>> StartImportAsync(string fileName, Stream csv, CancellationToken ct)
    {
        var form = new MultipartFormDataContent();
        var file = new StreamContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return PostAsync<ImportJob>("api/imports", form, ct);
    }

    public Task<ApiResult<ImportJob>> ImportAsync(Guid id, CancellationToken ct) => GetAsync<ImportJob>($"api/imports/{id}", ct);

    public Task<ApiResult<PageOf<RowError>>> ImportErrorsAsync(Guid id, int page, CancellationToken ct) =>
        GetAsync<PageOf<RowError>>($"api/imports/{id}/errors?page={page}&pageSize=200", ct);

    public Task<ApiResult<List<HomeDeployment>>> HomeDeploymentsAsync(CancellationToken ct) => GetAsync<List<HomeDeployment>>("api/home-deployments", ct);

    public Task<ApiResult<HomeDeployment>> HomeDeploymentAsync(Guid id, CancellationToken ct) => GetAsync<HomeDeployment>($"api/home-deployments/{id}", ct);

    public Task<ApiResult<List<HomeDeployment>>> StaffDeploymentsAsync(Guid staffId, CancellationToken ct) => GetAsync<List<HomeDeployment>>($"api/staff/{staffId}/deployments", ct);

    public Task<ApiResult<HomeDeployment>> ApproveDeploymentAsync(Guid id, CancellationToken ct) => PostAsync<HomeDeployment>($"api/home-deployments/{id}/approve", new { }, ct);

    public Task<ApiResult<HomeDeployment>> DeclineDeploymentAsync(Guid id, string? reason, CancellationToken ct) => PostAsync<HomeDeployment>($"api/home-deployments/{id}/decline", new { reason }, ct);

    public Task<ApiResult<MyPassport>> MyPassportAsync(CancellationToken ct) => GetAsync<MyPassport>("api/me/passport", ct);

    public Task<ApiResult<List<HomeDeployment>>> MyDeploymentsAsync(CancellationToken ct) => GetAsync<List<HomeDeployment>>("api/me/deployments", ct);

    public Task<ApiResult<Placement>> PlacementAsync(Guid deploymentId, CancellationToken ct) => GetAsync<Placement>($"api/placements/{deploymentId}", ct);

    public Task<ApiResult<List<Placement>>> MyPlacementsAsync(CancellationToken ct) => GetAsync<List<Placement>>("api/me/placements", ct);

    public Task<ApiResult<Offer>> MyOfferAsync(CancellationToken ct) => PostAsync<Offer>("api/me/offers", new { }, ct);

    public Task<ApiResult<WalletNotification>> ReplyAsync(Guid credentialId, string reply, string? reason, string? description, CancellationToken ct) =>
        PostAsync<WalletNotification>($"api/me/credentials/{credentialId}/reply", new { reply, reason, description }, ct);

    public Task<ApiResult<List<AuditEntry>>> MyHistoryAsync(CancellationToken ct) => GetAsync<List<AuditEntry>>("api/me/history", ct);

    public Task<ApiResult<OrganisationSettings>> OrganisationAsync(CancellationToken ct) => GetAsync<OrganisationSettings>("api/organisation", ct);

    public Task<ApiResult<OrganisationSettings>> SaveOrganisationAsync(string? name, CancellationToken ct) => PutAsync<OrganisationSettings>("api/organisation", new { name }, ct);

    public Task<ApiResult<List<SigningKey>>> KeysAsync(CancellationToken ct) => GetAsync<List<SigningKey>>("api/keys", ct);

    public Task<ApiResult<KeyRotation>> RotateKeyAsync(CancellationToken ct) => PostAsync<KeyRotation>("api/keys/rotate", new { }, ct);

    public Task<ApiResult<EnrolmentCode>> EnrolmentCodeAsync(Guid staffId, CancellationToken ct) => PostAsync<EnrolmentCode>($"api/staff/{staffId}/enrolment-code", new { }, ct);

    public Task<ApiResult<Enrolment>> EnrolAsync(string? code, CancellationToken ct) => PostAsync<Enrolment>("api/me/enrolment", new { code }, ct);
}
