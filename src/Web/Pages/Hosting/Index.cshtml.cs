using Passport.Web.Api;

namespace Passport.Web.Pages.Hosting;

/// <summary>The mutual-aid requests people have consented to with this organisation as the host.</summary>
public sealed class HostedAidListModel(MutualAidHostApi aid, Directory directory) : FormPage
{
    private IReadOnlyList<Organisation> _organisations = [];

    public IReadOnlyList<HostedAidSummary> Requests { get; private set; } = [];

    public string NameOf(string ods) => _organisations.FirstOrDefault(o => string.Equals(o.OdsCode, ods, StringComparison.OrdinalIgnoreCase))?.Name ?? ods;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        _organisations = await directory.OrganisationsAsync(cancellationToken);
        Requests = (await aid.RequestsAsync(cancellationToken)).Value ?? [];
    }
}
