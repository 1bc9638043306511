using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Staff;

public sealed class EditStaffModel(IssuerApi issuer) : FormPage
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["givenName"] = "givenName", ["familyName"] = "familyName", ["dateOfBirth"] = "dateOfBirth-day", ["assignmentNumber"] = "assignmentNumber",
        ["staffGroup"] = "staffGroup", ["jobTitle"] = "jobTitle", ["subject"] = "subject",
        ["email"] = "email", ["mobile"] = "mobile",
    };

    [FromRoute]
    public Guid? Id { get; set; }

    [BindProperty] public string? GivenName { get; set; }
    [BindProperty] public string? FamilyName { get; set; }
    [BindProperty] public DateInput DateOfBirth { get; set; } = new();
    [BindProperty] public string? AssignmentNumber { get; set; }
    [BindProperty] public string? StaffGroup { get; set; }
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public string? Subject { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Mobile { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is not { } id)
            return Page();
        var staff = (await issuer.StaffAsync(id, cancellationToken)).Value;
        if (staff is null)
            return NotFound();
        (GivenName, FamilyName, AssignmentNumber, StaffGroup, JobTitle, Subject) = (staff.GivenName, staff.FamilyName, staff.AssignmentNumber, staff.StaffGroup, staff.JobTitle, staff.Subject);
        (Email, Mobile) = (staff.Email, staff.Mobile);
        DateOfBirth = DateInput.Of(staff.DateOfBirth);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(GivenName))
            AddError("givenName", "Enter their given name");
        if (string.IsNullOrWhiteSpace(FamilyName))
            AddError("familyName", "Enter their family name");
        var dob = DateOfBirth.Read(this, "dateOfBirth", "their date of birth");
        if (string.IsNullOrWhiteSpace(AssignmentNumber))
            AddError("assignmentNumber", "Enter their assignment number");
        if (HasErrors)
            return Page();

        var input = new StaffInput(GivenName, FamilyName, dob!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), AssignmentNumber, StaffGroup, JobTitle, Subject, Email, Mobile);
        var result = Id is { } id ? await issuer.UpdateStaffAsync(id, input, cancellationToken) : await issuer.CreateStaffAsync(input, cancellationToken);
        if (result.Problem is { } problem)
        {
            if (problem.Code == "duplicate_assignment_number")
                AddError("assignmentNumber", "Another member of staff already has this assignment number");
            else
                AddProblem(problem, "givenName", Fields, Reword);
            return Page();
        }
        TempData["Banner"] = Id is null ? $"{result.Value!.GivenName} {result.Value.FamilyName} was added" : "Their details were saved";
        return Redirect($"/staff/{result.Value!.Id}");
    }

    private static string Reword(string field, string message) => field switch
    {
        "dateOfBirth" => "Date of birth must be after 1900 and at least 14 years ago",
        "assignmentNumber" => "Assignment number must be letters, digits and hyphens, at most 30",
        "givenName" or "familyName" => "Names must be at most 100 characters",
        "email" => "Enter an email address in the correct format, like name@example.com",
        "mobile" => "Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982",
        _ => message,
    };
}
