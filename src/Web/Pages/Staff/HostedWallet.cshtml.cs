using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Staff;

/// <summary>
/// HR keeps the passport of a member of staff without a smartphone: opens their hosted wallet, puts their credentials in it, and
/// presents it to a receiving organisation's request on their behalf, recording how and when the person consented.
/// </summary>
public sealed class HostedWalletModel(IssuerApi issuer, TimeProvider time) : FormPage
{
    public static readonly IReadOnlyList<Choice> ConsentMethods =
    [
        new("in_person", "In person"),
        new("phone", "By phone"),
        new("written", "In writing"),
    ];

    private static readonly Dictionary<string, string> ApiFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["requestLink"] = "link", ["consentMethod"] = "consent-method", ["consentGivenAt"] = "consent-given-day",
    };

    [FromRoute]
    public Guid Id { get; set; }

    public TimeProvider Time => time;

    public StaffRecord? Staff { get; private set; }

    public HostedWallet? Wallet { get; private set; }

    public string? Link { get; private set; }

    public string? ConsentMethod { get; private set; }

    public DateInput ConsentGiven { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var created = await issuer.CreateHostedWalletAsync(Id, cancellationToken);
        if (created.Problem is { } problem && problem.Code != "hosted_wallet_exists")
        {
            AddProblem(problem, "create");
            return Page();
        }
        var stored = await issuer.StoreInHostedWalletAsync(Id, cancellationToken);
        TempData["Banner"] = stored.Ok ? "Their passport is kept for them, with every credential in force" : "Their passport is kept for them";
        return Redirect($"/staff/{Id}/hosted-wallet");
    }

    public async Task<IActionResult> OnPostStoreAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var stored = await issuer.StoreInHostedWalletAsync(Id, cancellationToken);
        if (stored.Problem is { } problem)
        {
            AddProblem(problem, "store");
            return Page();
        }
        TempData["Banner"] = "Their latest credentials are in their kept passport";
        return Redirect($"/staff/{Id}/hosted-wallet");
    }

    public async Task<IActionResult> OnPostPresentAsync(
        string? link, string? consentMethod, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        Link = link?.Trim();
        ConsentMethod = consentMethod;
        ConsentGiven = DateInput.From(Request.HasFormContentType ? Request.Form : null, "consentGiven");
        if (string.IsNullOrEmpty(Link))
            AddError("link", "Enter the request link the organisation gave you");
        if (ConsentMethods.All(c => c.Value != consentMethod))
            AddError("consent-method", "Select how they gave their consent");
        var given = ConsentGiven.Read(this, "consent-given", "the date they gave their consent");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (given > today)
            AddError("consent-given-day", "The date they gave their consent must be today or in the past");
        if (HasErrors)
            return Page();

        var now = time.GetUtcNow();
        var givenAt = given == today ? now : new DateTimeOffset(given!.Value.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var result = await issuer.PresentForStaffAsync(Id, Link, consentMethod, givenAt, cancellationToken);
        if (result.Problem is { } problem)
        {
            if (problem.Code is "invalid_request_link")
                AddError("link", "Enter the whole request link, starting openid4vp://, as the organisation gave it");
            else if (problem.Code is "request_unavailable" or "request_expired")
                AddError("link", "This request has expired or has been answered. Ask the organisation for a new link");
            else
                AddProblem(problem, "link", ApiFields);
            return Page();
        }
        TempData["Banner"] = $"Their passport was shared with {result.Value!.VerifierName ?? "the organisation that asked"}";
        return Redirect($"/staff/{Id}/hosted-wallet");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Staff = (await issuer.StaffAsync(Id, cancellationToken)).Value;
        if (Staff is null)
            return false;
        Wallet = (await issuer.HostedWalletAsync(Id, cancellationToken)).Value;
        return true;
    }
}
