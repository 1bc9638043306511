using System.Globalization;
using System.Text.RegularExpressions;
using Passport.Notifications;

namespace Passport.Issuer.Staff;

/// <summary>The staff record's own facts as HR sends them. Dates are strings so a bad one is named, not a parse failure.</summary>
public sealed record StaffDetails(
    string? GivenName, string? FamilyName, string? DateOfBirth, string? AssignmentNumber, string? StaffGroup, string? JobTitle, string? Subject,
    string? Email = null, string? Mobile = null);

public sealed record RegistrationInput(string? Register, string? Number, string? Status, string? ExpiresOn);

internal static partial class StaffValidation
{
    public sealed record ValidDetails(
        string GivenName, string FamilyName, DateOnly DateOfBirth, string AssignmentNumber, string? StaffGroup, string? JobTitle, string? Subject,
        string? Email, string? Mobile);

    public static ValidDetails? Check(StaffDetails? d, DateOnly today, Dictionary<string, string[]> errors)
    {
        if (d is null)
        {
            errors["body"] = ["Send the staff record as JSON."];
            return null;
        }
        var given = Name(d.GivenName, "givenName", errors);
        var family = Name(d.FamilyName, "familyName", errors);
        DateOnly dob = default;
        if (!DateOnly.TryParseExact(d.DateOfBirth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out dob))
            errors["dateOfBirth"] = ["Give the date of birth as yyyy-mm-dd, for example 1990-04-01."];
        else if (dob.Year < 1900 || dob > today.AddYears(-14))
            errors["dateOfBirth"] = ["The date of birth must be after 1900 and at least 14 years ago."];
        var assignment = d.AssignmentNumber?.Trim();
        if (string.IsNullOrEmpty(assignment) || !AssignmentNumber().IsMatch(assignment))
            errors["assignmentNumber"] = ["Give the assignment number: letters, digits and '-', at most 30."];
        var staffGroup = Optional(d.StaffGroup, "staffGroup", 100, errors);
        var jobTitle = Optional(d.JobTitle, "jobTitle", 200, errors);
        var subject = Optional(d.Subject, "subject", 200, errors);
        var email = Optional(d.Email, "email", 254, errors);
        if (email is not null && !errors.ContainsKey("email") && !NotificationAddresses.IsEmail(email))
            errors["email"] = ["Enter an email address in the correct format, like name@example.nhs.uk."];
        string? mobile = null;
        if (!string.IsNullOrWhiteSpace(d.Mobile) && (mobile = NotificationAddresses.NormaliseMobile(d.Mobile)) is null)
            errors["mobile"] = ["Enter a mobile number, like 07700 900123 or +44 7700 900123."];
        return errors.Count == 0 ? new ValidDetails(given!, family!, dob, assignment!, staffGroup, jobTitle, subject, email, mobile) : null;
    }

    public static List<ProfessionalRegistration>? CheckRegistrations(IReadOnlyList<RegistrationInput?>? input, string prefix, Dictionary<string, string[]> errors)
    {
        var result = new List<ProfessionalRegistration>();
        if (input is null)
            return result;
        if (input.Count > 20)
        {
            errors[prefix] = ["Give at most 20 registrations."];
            return null;
        }
        for (var i = 0; i < input.Count; i++)
        {
            var at = $"{prefix}[{i}]";
            var r = input[i];
            if (r is null)
            {
                errors[at] = ["Each registration is an object."];
                continue;
            }
            var register = r.Register?.Trim();
            var number = r.Number?.Trim() ?? "";
            if (register is null || !ProfessionalRegisters.Names.Contains(register, StringComparer.Ordinal))
                errors[$"{at}.register"] = [$"Use one of: {string.Join(", ", ProfessionalRegisters.Names)}."];
            else if (ProfessionalRegisters.CheckNumber(register, number) is { } problem)
                errors[$"{at}.number"] = [problem];
            var status = r.Status ?? "registered";
            if (!ProfessionalRegisters.Statuses.Contains(status, StringComparer.Ordinal))
                errors[$"{at}.status"] = [$"Use one of: {string.Join(", ", ProfessionalRegisters.Statuses)}."];
            DateOnly? expires = null;
            if (r.ExpiresOn is not null)
            {
                if (DateOnly.TryParseExact(r.ExpiresOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var e))
                    expires = e;
                else
                    errors[$"{at}.expiresOn"] = ["Give the date as yyyy-mm-dd."];
            }
            if (register is not null && result.Any(x => x.Register == register))
                errors[$"{at}.register"] = ["Each register appears once."];
            result.Add(new ProfessionalRegistration { Register = register ?? "", Number = number, Status = status, ExpiresOn = expires });
        }
        return result;
    }

    private static string? Name(string? value, string field, Dictionary<string, string[]> errors)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors[field] = ["Required, at most 100 characters."];
            return null;
        }
        return name;
    }

    private static string? Optional(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        if (text.Length > max)
            errors[field] = [$"At most {max} characters."];
        return text;
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,30}$")]
    private static partial Regex AssignmentNumber();
}
