using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;
using Passport.Web.Pages.Staff;

namespace Passport.Web.Pages.MyPassport;

/// <summary>A member of staff agrees to go on a mutual-aid request, or declines; once they agree, the host's wallet link to present with.</summary>
public sealed class MutualAidModel(MutualAidHomeApi aid, Directory directory) : FormPage
{
    public static readonly IReadOnlyList<Choice> Answers =
    [
        new("consent", "Yes, I agree to go"),
        new("decline", "No, I do not want to go"),
    ];

    [FromRoute]
    public Guid MemberId { get; set; }

    public MyAidRequest? Ask { get; private set; }

    public string HostName { get; private set; } = "";

    public string? Answer { get; private set; }

    public string? QrDataUri { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string? answer, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        Answer = answer;
        if (Answers.All(a => a.Value != answer))
        {
            AddError("answer", "Select whether you agree to go");
            return Page();
        }
        var result = await aid.AnswerAsync(MemberId, answer == "consent", cancellationToken);
        if (result.Problem is { } problem)
        {
            AddProblem(problem, "answer");
            return Page();
        }
        TempData["Banner"] = answer == "consent"
            ? $"You agreed to go to {HostName}. Show them your credentials with the link on this page when it appears"
            : $"You declined. You will not be sent to {HostName} on this request";
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Ask = (await aid.MineAsync(MemberId, cancellationToken)).Value;
        if (Ask is null)
            return false;
        HostName = await directory.OrganisationNameAsync(Ask.HostOdsCode, cancellationToken);
        if (Ask.WalletLink is { } link)
            QrDataUri = Qr.DataUri(link);
        return true;
    }
}
