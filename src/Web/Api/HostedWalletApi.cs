namespace Passport.Web.Api;

public sealed record HostedCredential(Guid CredentialId, string Type, string Name, string Status, DateTimeOffset ExpiresAt, DateTimeOffset StoredAt);

public sealed record HostedPresentation(
    Guid Id, string? VerifierName, string Disclosed, string ConsentMethod, DateTimeOffset ConsentGivenAt, string PresentedBy, DateTimeOffset PresentedAt);

public sealed record HostedWallet(Guid StaffId, DateTimeOffset CreatedAt, string HolderKeyThumbprint, IReadOnlyList<HostedCredential> Credentials,
    IReadOnlyList<HostedPresentation> Presentations);

public sealed record SharedClaim(string Credential, string Claim, string Value);

public sealed record HostedPlan(string? VerifierName, string VerifierCertificate, IReadOnlyList<SharedClaim> Shared, IReadOnlyList<string> Unanswered);

/// <summary>The hosted wallet: kept by HR for staff without a wallet app, used by the person or by HR with their consent.</summary>
public sealed partial class IssuerApi
{
    public Task<ApiResult<HostedWallet>> MyHostedWalletAsync(CancellationToken ct) => GetAsync<HostedWallet>("api/me/hosted-wallet", ct);

    public Task<ApiResult<HostedPlan>> PlanMyPresentationAsync(string? requestLink, CancellationToken ct) =>
        PostAsync<HostedPlan>("api/me/hosted-wallet/plan", new { requestLink }, ct);

    public Task<ApiResult<HostedPresentation>> PresentMyPassportAsync(string? requestLink, CancellationToken ct) =>
        PostAsync<HostedPresentation>("api/me/hosted-wallet/presentations", new { requestLink }, ct);

    public Task<ApiResult<HostedWallet>> CollectMyPlacementAsync(Guid deploymentId, CancellationToken ct) =>
        PostAsync<HostedWallet>($"api/me/hosted-wallet/placements/{deploymentId}", null, ct);

    public Task<ApiResult<HostedWallet>> CollectPlacementForStaffAsync(Guid staffId, Guid deploymentId, CancellationToken ct) =>
        PostAsync<HostedWallet>($"api/staff/{staffId}/hosted-wallet/placements/{deploymentId}", null, ct);

    public Task<ApiResult<List<Placement>>> StaffPlacementsAsync(Guid staffId, CancellationToken ct) => GetAsync<List<Placement>>($"api/staff/{staffId}/placements", ct);

    public Task<ApiResult<HostedWallet>> HostedWalletAsync(Guid staffId, CancellationToken ct) => GetAsync<HostedWallet>($"api/staff/{staffId}/hosted-wallet", ct);

    public Task<ApiResult<HostedWallet>> CreateHostedWalletAsync(Guid staffId, CancellationToken ct) => PostAsync<HostedWallet>($"api/staff/{staffId}/hosted-wallet", null, ct);

    public Task<ApiResult<HostedWallet>> StoreInHostedWalletAsync(Guid staffId, CancellationToken ct) =>
        PostAsync<HostedWallet>($"api/staff/{staffId}/hosted-wallet/credentials", new { }, ct);

    public Task<ApiResult<HostedPlan>> PlanForStaffAsync(Guid staffId, string? requestLink, CancellationToken ct) =>
        PostAsync<HostedPlan>($"api/staff/{staffId}/hosted-wallet/plan", new { requestLink }, ct);

    public Task<ApiResult<HostedPresentation>> PresentForStaffAsync(Guid staffId, string? requestLink, string? consentMethod, DateTimeOffset? consentGivenAt, CancellationToken ct) =>
        PostAsync<HostedPresentation>($"api/staff/{staffId}/hosted-wallet/presentations", new { requestLink, consentMethod, consentGivenAt }, ct);
}
