using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Staff;

/// <summary>Pending, accepted and rejected credentials with the person's reason; HR resolves a rejection.</summary>
public sealed class RepliesModel(IssuerApi issuer, Directory directory) : FormPage
{
    private Dictionary<Guid, string> _people = [];
    private IReadOnlyList<CatalogueType> _catalogue = [];

    public IReadOnlyList<WalletNotification> Waiting { get; private set; } = [];

    public IReadOnlyList<WalletNotification> All { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(Guid id, string? resolution, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(resolution) || resolution.Length > 1000)
        {
            await LoadAsync(cancellationToken);
            AddError($"resolution-{id:N}", string.IsNullOrWhiteSpace(resolution) ? "Enter what you did about the rejection" : "What you did must be 1,000 characters or fewer");
            return Page();
        }
        var result = await issuer.ResolveAsync(id, resolution.Trim(), cancellationToken);
        if (result.Problem is not null)
        {
            await LoadAsync(cancellationToken);
            AddError($"resolution-{id:N}", "It could not be marked as resolved: it may have been resolved already");
            return Page();
        }
        TempData["Banner"] = "The rejection was marked as resolved";
        return RedirectToPage();
    }

    public string PersonName(Guid staffId) => _people.GetValueOrDefault(staffId, "A member of staff");

    public string TypeName(string type) => _catalogue.FirstOrDefault(t => t.Type == type)?.Name ?? Words.Sentence(type);

    public static string Said(WalletNotification n) => n.Event switch
    {
        "credential_accepted" => "Accepted",
        "credential_deleted" => $"Rejected: {RejectReason(n.Reason)}",
        "credential_failure" => "Their wallet could not store it",
        _ => "Received, no reply yet",
    };

    private static string RejectReason(string? reason) => reason switch
    {
        "duplicate" => "they already have it",
        "incorrect" => "it is incorrect",
        "not_wanted" => "they do not want it",
        "other" => "another reason",
        _ => "no reason given",
    };

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        All = (await issuer.NotificationsAsync(false, cancellationToken)).Value ?? [];
        Waiting = [.. All.Where(n => n.NeedsResolution && n.ResolvedAt is null)];
        _catalogue = await directory.CatalogueAsync(cancellationToken);
        var people = await Task.WhenAll(All.Select(n => n.StaffId).Distinct().Take(100).Select(id => issuer.StaffAsync(id, cancellationToken)));
        _people = people.Where(p => p.Value is not null).ToDictionary(p => p.Value!.Id, p => $"{p.Value!.GivenName} {p.Value.FamilyName}");
    }
}
