using Passport.Web.Api;

namespace Passport.Web.Pages.Hosting;

/// <summary>The mutual-aid requests people have consented to with this organisation as the host, and those it made itself.</summary>
public sealed class HostedAidListModel(MutualAidHostApi aid, Directory directory) : FormPage
{
    private IReadOnlyList<Organisation> _organisations = [];

    public IReadOnlyList<HostedAidSummary> Requests { get; private set; } = [];

    public IReadOnlyList<HostAidRaise> Raised { get; private set; } = [];

    public string NameOf(string ods) => _organisations.FirstOrDefault(o => string.Equals(o.OdsCode, ods, StringComparison.OrdinalIgnoreCase))?.Name
        ?? "an organisation not registered with this service";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        _organisations = await directory.OrganisationsAsync(cancellationToken);
        Requests = (await aid.RequestsAsync(cancellationToken)).Value ?? [];
        Raised = (await aid.RaisedAsync(cancellationToken)).Value ?? [];
    }
}
