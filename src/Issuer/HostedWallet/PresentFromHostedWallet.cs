using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Passport.Credentials.OpenId4Vp;
using Passport.Issuer.Data;
using Passport.Issuer.Staff;
using Passport.ServiceDefaults;

namespace Passport.Issuer.HostedWallet;

/// <summary>What a presentation would share, shown before the person (or HR for them) confirms.</summary>
public sealed record HostedPlanResponse(string? VerifierName, string VerifierCertificate, IReadOnlyList<SharedClaim> Shared, IReadOnlyList<string> Unanswered);

/// <summary>
/// Presenting from a hosted wallet to a receiving organisation's OpenID4VP request: the person themself after signing in, or HR on
/// their behalf with the consent the person gave them (how and when; HR is recorded as who recorded it).
/// </summary>
internal static class PresentFromHostedWallet
{
    public sealed record MyPresentationRequest(string? RequestLink);

    public sealed record OnBehalfRequest(
        string? RequestLink,
        [AllowedValues(ConsentMethods.InPerson, ConsentMethods.Phone, ConsentMethods.Written, ErrorMessage = "Say how the person gave their consent: in_person, phone or written.")]
        string? ConsentMethod,
        [Required(ErrorMessage = "Say when the person gave their consent.")] DateTimeOffset? ConsentGivenAt);

    public static async Task<Results<Ok<HostedPlanResponse>, ProblemHttpResult>> PlanForMe(
        MyPresentationRequest request, ClaimsPrincipal user, IssuerDbContext db, HostedWalletPresenter presenter, CancellationToken cancellationToken)
    {
        var (wallet, problem) = await MineAsync(user, db, cancellationToken);
        if (wallet is null)
            return problem!;
        return await PlanAsync(wallet, request.RequestLink, presenter, cancellationToken);
    }

    public static async Task<Results<Created<HostedPresentationResponse>, ProblemHttpResult>> PresentForMe(
        MyPresentationRequest request, ClaimsPrincipal user, IssuerDbContext db, HostedWalletPresenter presenter, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (wallet, problem) = await MineAsync(user, db, cancellationToken);
        if (wallet is null)
            return problem!;
        return await PresentAsync(wallet, request.RequestLink, new HostedConsent(ConsentMethods.SignedIn, time.GetUtcNow(), null, user.Actor()), presenter, cancellationToken);
    }

    public static async Task<Results<Ok<HostedPlanResponse>, ProblemHttpResult>> PlanForStaff(
        Guid id, MyPresentationRequest request, ClaimsPrincipal user, IssuerDbContext db, HostedWalletPresenter presenter, CancellationToken cancellationToken)
    {
        var wallet = await GetHostedWallet.FindAsync(db, user.OdsCode(), id, cancellationToken);
        if (wallet is null)
            return GetHostedWallet.NotFound();
        return await PlanAsync(wallet, request.RequestLink, presenter, cancellationToken);
    }

    public static async Task<Results<Created<HostedPresentationResponse>, ValidationProblem, ProblemHttpResult>> PresentForStaff(
        Guid id, OnBehalfRequest request, ClaimsPrincipal user, IssuerDbContext db, HostedWalletPresenter presenter, IOptions<HostedWalletOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Against the clock and the configured validity, so not the request's shape: its attributes checked that before this handler ran.
        var givenAt = request.ConsentGivenAt!.Value;
        if (givenAt > now.AddMinutes(5))
            return ConsentProblem("Consent cannot have been given in the future.");
        if (givenAt < now - options.Value.ConsentValidity)
            return ConsentProblem($"Consent given more than {options.Value.ConsentValidity.TotalDays:0} days ago does not cover a presentation now; ask the person again.");
        var wallet = await GetHostedWallet.FindAsync(db, user.OdsCode(), id, cancellationToken);
        if (wallet is null)
            return GetHostedWallet.NotFound();
        var consent = new HostedConsent(request.ConsentMethod!, request.ConsentGivenAt!.Value, user.Actor(), user.Actor());
        return await PresentAsync(wallet, request.RequestLink, consent, presenter, cancellationToken) switch
        {
            { Result: Created<HostedPresentationResponse> created } => created,
            { Result: ProblemHttpResult problem } => problem,
            _ => throw new InvalidOperationException("Unexpected result."),
        };
    }

    private static ValidationProblem ConsentProblem(string sentence) =>
        Problems.Validation(new Dictionary<string, string[]> { ["consentGivenAt"] = [sentence] }, "Record the person's consent before presenting on their behalf.");

    private static async Task<(HostedWallet? Wallet, ProblemHttpResult? Problem)> MineAsync(ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (staff is null)
            return (null, problem);
        var wallet = await GetHostedWallet.FindAsync(db, staff.OdsCode, staff.Id, cancellationToken);
        return wallet is null
            ? (null, Problems.NotFound("hosted_wallet_not_found", "You have no hosted passport; ask HR to keep your passport for you if you have no wallet app."))
            : (wallet, null);
    }

    private static async Task<Results<Ok<HostedPlanResponse>, ProblemHttpResult>> PlanAsync(
        HostedWallet wallet, string? link, HostedWalletPresenter presenter, CancellationToken cancellationToken)
    {
        try
        {
            var plan = await presenter.PlanAsync(wallet, link, cancellationToken);
            return TypedResults.Ok(new HostedPlanResponse(plan.Request.ClientName, plan.Request.CertificateSubject, plan.Shared(), plan.Unanswered));
        }
        catch (HostedWalletException e)
        {
            return Problems.Problem(e.Status, e.Code, e.Message);
        }
    }

    private static async Task<Results<Created<HostedPresentationResponse>, ProblemHttpResult>> PresentAsync(
        HostedWallet wallet, string? link, HostedConsent consent, HostedWalletPresenter presenter, CancellationToken cancellationToken)
    {
        try
        {
            var plan = await presenter.PlanAsync(wallet, link, cancellationToken);
            var p = await presenter.PresentAsync(wallet, plan, consent, cancellationToken);
            return TypedResults.Created($"/api/staff/{wallet.StaffId}/hosted-wallet",
                new HostedPresentationResponse(p.Id, p.VerifierName, p.Disclosed, p.ConsentMethod, p.ConsentGivenAt, p.PresentedBy, p.PresentedAt));
        }
        catch (HostedWalletException e)
        {
            return Problems.Problem(e.Status, e.Code, e.Message);
        }
    }
}
