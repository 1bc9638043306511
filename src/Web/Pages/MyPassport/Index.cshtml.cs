using Microsoft.AspNetCore.Mvc;
using Passport.ServiceDefaults;
using Passport.Web.Api;
using Passport.Web.Pages.Staff;

namespace Passport.Web.Pages.MyPassport;

/// <summary>A member of staff's own passport: credentials in words, how to add them to a wallet, where they are deployed, history.</summary>
public sealed class MyPassportModel(IssuerApi issuer, MutualAidHomeApi aid, Directory directory, TimeProvider time) : FormPage
{
    private IReadOnlyList<CatalogueType> _catalogue = [];
    private IReadOnlyList<Organisation> _organisations = [];

    public TimeProvider Time => time;

    public Api.MyPassport? Passport { get; private set; }

    public string OrganisationName { get; private set; } = "";

    public IReadOnlyList<HomeDeployment> Deployments { get; private set; } = [];

    /// <summary>The placement credentials hosts issued to the person (licence to attend), with any offer waiting for their wallet.</summary>
    public IReadOnlyList<Placement> Placements { get; private set; } = [];

    /// <summary>The passport the organisation keeps for the person, if it does: a placement offered to it is collected there, not scanned.</summary>
    public HostedWallet? Kept { get; private set; }

    public string PlacementQr(PlacementOffer offer) => Qr.DataUri((offer ?? throw new ArgumentNullException(nameof(offer))).OfferUri);

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public IReadOnlyList<MyAidRequest> AidRequests { get; private set; } = [];

    public Offer? Offer { get; private set; }

    public string? QrDataUri { get; private set; }

    public bool NotLinked { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotLinked ? Redirect("/my-passport/link") : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var result = await issuer.MyOfferAsync(cancellationToken);
        if (result.Problem is { } problem)
        {
            AddError("offer", problem.Code == "no_active_credentials" ? "You have no valid credentials to add yet" : "Your QR code could not be made. Try again in a moment");
            return Page();
        }
        Offer = result.Value;
        QrDataUri = Qr.DataUri(Offer!.OfferUri);
        return Page();
    }

    public IReadOnlyList<Fact> FactsOf(MyCredential c)
    {
        var type = _catalogue.FirstOrDefault(t => t.Type == c.Type);
        return StaffPassportModel.Facts(type, c.Claims is null ? null : new CredentialDetail(c.Id, default, c.Type, "", c.Status, null, null, c.IssuedAt, c.ExpiresAt, c.Expired, null, c.Claims), 3);
    }

    public string NameOf(string ods) => _organisations.FirstOrDefault(o => string.Equals(o.OdsCode, ods, StringComparison.OrdinalIgnoreCase))?.Name ?? "another organisation";

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var passport = await issuer.MyPassportAsync(cancellationToken);
        NotLinked = passport.Problem is { Status: 403 };
        Passport = passport.Value;
        if (Passport is null)
            return false;
        _catalogue = await directory.CatalogueAsync(cancellationToken);
        _organisations = await directory.OrganisationsAsync(cancellationToken);
        OrganisationName = NameOf(User.FindFirst(PassportClaims.Organisation)?.Value ?? Passport.OdsCode);
        Deployments = (await issuer.MyDeploymentsAsync(cancellationToken)).Value ?? [];
        Placements = (await issuer.MyPlacementsAsync(cancellationToken)).Value ?? [];
        if (Placements.Any(p => p.Offer is not null))
            Kept = (await issuer.MyHostedWalletAsync(cancellationToken)).Value;
        History = (await issuer.MyHistoryAsync(cancellationToken)).Value ?? [];
        AidRequests = (await aid.MineAsync(cancellationToken)).Value ?? [];
        return true;
    }
}
