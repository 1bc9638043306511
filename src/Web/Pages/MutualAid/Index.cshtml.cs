using Passport.Web.Api;

namespace Passport.Web.Pages.MutualAid;

/// <summary>HR's mutual-aid requests, those it raised and those a host raised for its staff; a link to raise one.</summary>
public sealed class AidRequestsModel(MutualAidHomeApi aid, Directory directory) : FormPage
{
    private IReadOnlyList<Organisation> _organisations = [];

    public IReadOnlyList<AidRequestSummary> Requests { get; private set; } = [];

    public string NameOf(string ods) => _organisations.FirstOrDefault(o => string.Equals(o.OdsCode, ods, StringComparison.OrdinalIgnoreCase))?.Name
        ?? "an organisation not registered with this service";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        _organisations = await directory.OrganisationsAsync(cancellationToken);
        Requests = (await aid.RequestsAsync(cancellationToken)).Value ?? [];
    }
}
