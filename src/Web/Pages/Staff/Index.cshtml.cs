using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Passport.Web.Api;

namespace Passport.Web.Pages.Staff;

public sealed class StaffListModel(IssuerApi issuer) : PageModel
{
    private const int PageSize = 20;

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public PageOf<StaffSummary>? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var search = Search?.Trim();
        if (search is { Length: > 100 })
            search = search[..100];
        Result = (await issuer.SearchStaffAsync(search, Math.Max(1, PageNumber), PageSize, cancellationToken)).Value;
    }

    public string PageUrl(int page) => $"/staff?search={Uri.EscapeDataString(Search ?? "")}&page={page}";
}
