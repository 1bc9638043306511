using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.MyPassport;

/// <summary>A member of staff whose sign-in is not linked to their staff record yet enters HR's one-time enrolment code.</summary>
public sealed class LinkModel(IssuerApi issuer) : FormPage
{
    [BindProperty] public string? Code { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Code))
        {
            AddError("code", "Enter the enrolment code HR gave you");
            return Page();
        }
        var result = await issuer.EnrolAsync(Code, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddError("code", problem.Code switch
            {
                "invalid_enrolment_code" => "This code is not known, was already used or has expired. Ask HR for a new one",
                "sign_in_already_linked" => "Your sign-in is already linked to another staff record. Ask HR to correct it",
                _ when problem.Errors.ContainsKey("code") => "Enter the 12 letters and numbers of the code, for example 7KQ2-M4XD-9PRT",
                _ => "Your code could not be checked. Try again in a moment",
            });
            return Page();
        }
        TempData["Banner"] = $"Your sign-in is now linked to your staff record, {result.Value!.GivenName} {result.Value.FamilyName}";
        return Redirect("/my-passport");
    }
}
