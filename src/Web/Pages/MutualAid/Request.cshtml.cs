using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.MutualAid;

/// <summary>One mutual-aid request, person by person; HR records an answer a person gave in person or by phone.</summary>
public sealed class AidRequestModel(MutualAidHomeApi aid, Directory directory) : FormPage
{
    public static readonly IReadOnlyList<Choice> Answers = [new("consent", "They agree to go"), new("decline", "They do not want to go")];

    public static readonly IReadOnlyList<Choice> Methods = [new("in_person", "In person"), new("phone", "By phone")];

    [FromRoute]
    public Guid Id { get; set; }

    public AidRequest? Aid { get; private set; }

    public string HostName { get; private set; } = "";

    public IReadOnlyList<Choice> Waiting { get; private set; } = [];

    [BindProperty] public string? Member { get; set; }
    [BindProperty] public string? Answer { get; set; }
    [BindProperty] public string? Method { get; set; }
    [BindProperty] public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if (!Guid.TryParse(Member, out var memberId) || Waiting.All(w => w.Value != Member))
            AddError("member", "Select the person who answered");
        if (Answers.All(a => a.Value != Answer))
            AddError("answer", "Select what they said");
        if (Methods.All(m => m.Value != Method))
            AddError("method", "Select how they told you");
        if (Note is { Length: > 500 })
            AddError("note", "The note must be 500 characters or fewer");
        if (HasErrors)
            return Page();
        var result = await aid.RecordAnswerAsync(Id, memberId, Answer, Method, string.IsNullOrWhiteSpace(Note) ? null : Note.Trim(), cancellationToken);
        if (result.Problem is { } problem)
        {
            AddProblem(problem, "member");
            return Page();
        }
        TempData["Banner"] = $"{Words.PersonName(result.Value!.GivenName, result.Value.FamilyName)}'s answer is recorded";
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Aid = (await aid.RequestAsync(Id, cancellationToken)).Value;
        if (Aid is null)
            return false;
        HostName = await directory.OrganisationNameAsync(Aid.HostOdsCode, cancellationToken);
        Waiting = [new Choice("", "Select a person"), .. Aid.Members.Where(m => m.State == "waiting_for_consent")
            .Select(m => new Choice(m.MemberId.ToString(), $"{Words.PersonName(m.GivenName, m.FamilyName)} ({m.AssignmentNumber})"))];
        if (Waiting.Count == 1)
            Waiting = [];
        return true;
    }
}
