using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Agreements;

/// <summary>An agreement another organisation (the host) recorded that names the caller's organisation as a party, as the home organisation needs it to ask for aid.</summary>
public sealed record PartnerAgreement(
    Guid Id, string Title, string HostOdsCode, DateOnly StartsOn, DateOnly EndsOn, int MaxDeploymentDays, bool HostMayRaiseMutualAid, IReadOnlyList<string> Roles);

/// <summary>
/// The agreements in force or to come that name the caller's organisation as a home party: what HR chooses from when it
/// offers staff to a host. Parties live in the stored document, so a text match narrows the rows and the validated rules decide.
/// </summary>
internal static class ListPartnerAgreements
{
    private const int MaxAgreements = 200;

    public static async Task<Ok<List<PartnerAgreement>>> Handle(ClaimsPrincipal user, VerifierDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var quoted = $"\"{ods}\"";
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var rows = await (
            from a in db.Set<Agreement>().AsNoTracking()
            join v in db.Set<AgreementVersion>().AsNoTracking() on new { a.Id, Version = a.CurrentVersion } equals new { Id = v.AgreementId, v.Version }
            where a.OdsCode != ods && v.Document.Contains(quoted)
            orderby a.Title, a.Id
            select new { a.Id, a.OdsCode, v.Document }).Take(MaxAgreements * 5).ToListAsync(cancellationToken);
        var list = new List<PartnerAgreement>();
        foreach (var row in rows)
        {
            var document = System.Text.Json.JsonSerializer.Deserialize<AgreementDocument>(row.Document, AgreementJson.Options);
            if (document is null || AgreementValidation.Validate(document, row.OdsCode, out _) is not { } rules)
                continue;
            if (!rules.Parties.Contains(ods, StringComparer.Ordinal) || rules.EndsOn < today)
                continue;
            list.Add(new PartnerAgreement(row.Id, rules.Title, row.OdsCode, rules.StartsOn, rules.EndsOn, rules.MaxDeploymentDays, rules.HostMayRaiseMutualAid,
                [.. rules.Roles.Select(r => r.Role)]));
            if (list.Count == MaxAgreements)
                break;
        }
        return TypedResults.Ok(list);
    }
}
