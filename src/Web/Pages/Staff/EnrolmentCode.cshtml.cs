using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Staff;

/// <summary>HR makes a one-time code that links a member of staff's sign-in to their record, and gives it to them.</summary>
public sealed class EnrolmentCodeModel(IssuerApi issuer) : FormPage
{
    [FromRoute] public Guid Id { get; set; }

    public StaffRecord? Staff { get; private set; }

    public EnrolmentCode? Code { get; private set; }

    public IActionResult OnGet() => Redirect($"/staff/{Id}");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Staff = (await issuer.StaffAsync(Id, cancellationToken)).Value;
        if (Staff is null)
            return NotFound();
        var result = await issuer.EnrolmentCodeAsync(Id, cancellationToken);
        if (result.Problem is not null)
            AddError("again", "The enrolment code could not be made. Try again in a moment");
        Code = result.Value;
        return Page();
    }
}
