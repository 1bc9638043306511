using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;
using Passport.Web.Pages.Staff;

namespace Passport.Web.Pages.MyPassport;

/// <summary>A member of staff accepts a credential offered to them, or rejects it saying why; HR sees the reply with the wallet's.</summary>
public sealed class ReplyModel(IssuerApi issuer, Directory directory, TimeProvider time) : FormPage
{
    public static readonly IReadOnlyList<Choice> Replies =
    [
        new("accepted", "Yes, it is right"),
        new("rejected", "No, I reject it"),
    ];

    public static readonly IReadOnlyList<Choice> Reasons =
    [
        new("duplicate", "I already have it"),
        new("incorrect", "Something in it is wrong"),
        new("not_wanted", "I do not want it"),
        new("other", "Another reason", "Say what it is below"),
    ];

    private static readonly Dictionary<string, string> ApiFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reply"] = "reply", ["reason"] = "reason", ["description"] = "description",
    };

    [FromRoute]
    public Guid Id { get; set; }

    public TimeProvider Time => time;

    public MyCredential? Credential { get; private set; }

    public IReadOnlyList<Fact> Facts { get; private set; } = [];

    public string? Reply { get; private set; }

    public string? Reason { get; private set; }

    public string? Description { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string? reply, string? reason, string? description, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        (Reply, Reason, Description) = (reply, reason, description);
        if (Replies.All(r => r.Value != reply))
            AddError("reply", "Select whether it is right");
        if (reply == "rejected" && Reasons.All(r => r.Value != reason))
            AddError("reason", "Select why you are rejecting it");
        if (reply == "rejected" && reason == "other" && string.IsNullOrWhiteSpace(description))
            AddError("description", "Say why you are rejecting it");
        if (description is { Length: > 1000 })
            AddError("description", "What you say must be 1,000 characters or fewer");
        if (HasErrors)
            return Page();

        var result = await issuer.ReplyAsync(Id, reply!, reply == "rejected" ? reason : null, string.IsNullOrWhiteSpace(description) ? null : description.Trim(), cancellationToken);
        if (result.Problem is { } problem)
        {
            if (problem.Code == "credential_not_offered")
                AddError("reply", "You can answer once it has been offered to you: choose 'Show my QR code' on your passport first");
            else
                AddProblem(problem, "reply", ApiFields);
            return Page();
        }
        TempData["Banner"] = reply == "accepted"
            ? $"You accepted your {Credential!.Name} credential"
            : $"You rejected your {Credential!.Name} credential. Your HR team has your reason and will put it right";
        return Redirect("/my-passport");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var passport = (await issuer.MyPassportAsync(cancellationToken)).Value;
        Credential = passport?.Credentials.FirstOrDefault(c => c.Id == Id);
        if (Credential is null)
            return false;
        var type = (await directory.CatalogueAsync(cancellationToken)).FirstOrDefault(t => t.Type == Credential.Type);
        var c = Credential;
        Facts = StaffPassportModel.Facts(type, c.Claims is null ? null : new CredentialDetail(c.Id, default, c.Type, "", c.Status, null, null, c.IssuedAt, c.ExpiresAt, c.Expired, null, c.Claims), 20);
        return true;
    }
}
