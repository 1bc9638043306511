using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Messaging;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Deployments;

namespace Passport.Verifier.MutualAid;

/// <summary>A request the host raised, and what the home organisation made of it: <c>sent</c> (no answer yet) or <c>answered</c>.</summary>
public sealed record HostAidRaiseResponse(
    Guid RequestId, string HomeOdsCode, Guid AgreementId, string Role, DateOnly Start, DateOnly End, string RaisedBy, DateTimeOffset RaisedAt, int Named,
    string State, int? Asked, int NotFoundCount, IReadOnlyList<string> NotFound, DateTimeOffset? AnsweredAt);

/// <summary>An agreement of the host's that lets it raise mutual aid: the home organisations it can ask and the roles.</summary>
public sealed record RaisableAgreement(
    Guid Id, string Title, DateOnly StartsOn, DateOnly EndsOn, int MaxDeploymentDays, IReadOnlyList<string> HomeOdsCodes, IReadOnlyList<string> Roles);

/// <summary>Someone the host has hosted before (a deployment of theirs), whom it can ask for again by name.</summary>
public sealed record Visitor(string HomeOdsCode, Guid StaffId, string? GivenName, string? FamilyName, DateOnly LastStart, DateOnly LastEnd);

/// <summary>
/// The receiving organisation's staffing team asks a home organisation for people, where the agreement lets the host raise
/// mutual aid: people it hosted before (by staff id) or by assignment number (a CSV). Recorded with who raised it and sent
/// to the home organisation, which asks each person to consent exactly as when its own HR raises a request.
/// </summary>
internal static class RaiseAsHost
{
    public const int MaxMembers = 5000;
    private const int MaxCsvLength = 1_000_000;
    private const string HomeError = "Give the ODS code of the organisation whose staff you ask for (3 to 10 capital letters and digits).";

    public sealed record RaiseAsHostBody(
        Guid? AgreementId,
        [Required(ErrorMessage = HomeError)][OdsCode(ErrorMessage = HomeError)] string? HomeOdsCode,
        string? Role, DateOnly? Start, DateOnly? End,
        [MaxLength(MaxMembers, ErrorMessage = "Name at most 5000 people.")] IReadOnlyList<Guid>? StaffIds,
        [MaxLength(MaxCsvLength, ErrorMessage = "The CSV file is larger than 1000 kB; split it.")] string? Csv) : IValidatableObject
    {
        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (AgreementId is null || AgreementId == Guid.Empty)
                yield return new ValidationResult("Give the id of your workforce sharing agreement the staff would work under.", [nameof(AgreementId)]);
            if (StaffIds is not { Count: > 0 } && string.IsNullOrWhiteSpace(Csv))
            {
                yield return new ValidationResult(
                    "Name the people to ask for: people you hosted before (staffIds), or a CSV file with an assignment_number column (csv).", [nameof(StaffIds)]);
            }
        }
    }

    public static async Task<Results<Accepted<HostAidRaiseResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        RaiseAsHostBody request, ClaimsPrincipal user, VerifierDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        // Against the caller, so not the request's shape: its attributes checked that before this handler ran.
        if (request.HomeOdsCode == ods)
            errors["homeOdsCode"] = ["Ask another organisation than yours; your own staff need no mutual aid."];
        if (errors.Count > 0)
            return Problems.Validation(errors);

        var agreement = await AgreementLookup.LoadAsync(db, ods, request.AgreementId!.Value, null, cancellationToken);
        if (agreement is null)
            return AgreementProblems.NotFound(request.AgreementId.Value);
        var rules = agreement.Rules;
        if (!rules.HostMayRaiseMutualAid)
            return Problems.Forbidden("host_may_not_raise",
                "This agreement does not let your organisation ask for staff itself: the home organisation raises mutual-aid requests under it. "
                + "Change the agreement (hostMayRaiseMutualAid) with the home organisation's say-so, or ask its HR team.");
        var homeOds = request.HomeOdsCode!;
        if (!rules.Parties.Contains(homeOds, StringComparer.Ordinal))
            errors["homeOdsCode"] = [$"{homeOds} is not a party to this agreement; it covers {string.Join(", ", rules.Parties.Where(p => p != ods))}."];
        AgreementTerms.Check(rules, request.Role, request.Start, request.End).AddTo(errors);
        if (!errors.ContainsKey("end") && request.End < DateOnly.FromDateTime(now.UtcDateTime))
            errors["end"] = ["The last day has already passed."];

        var staffIds = (request.StaffIds ?? []).Distinct().ToList();
        if (staffIds.Count > 0 && !errors.ContainsKey("homeOdsCode"))
        {
            var hosted = await db.Set<Deployment>().AsNoTracking().Where(d => d.HostOdsCode == ods && d.HomeOdsCode == homeOds && staffIds.Contains(d.StaffId))
                .Select(d => d.StaffId).Distinct().ToListAsync(cancellationToken);
            var strangers = staffIds.Except(hosted).ToList();
            if (strangers.Count > 0)
                errors["staffIds"] = [$"{strangers.Count} of the people named have not worked with you from {homeOds}, for example {strangers[0]}; name them by assignment number instead."];
        }
        var numbers = new List<string>();
        if (!string.IsNullOrWhiteSpace(request.Csv))
        {
            var (read, problem) = AssignmentNumbers(request.Csv);
            if (problem is not null)
                errors["csv"] = [problem];
            else
                numbers = read!;
        }
        if (errors.Count == 0 && staffIds.Count + numbers.Count > MaxMembers)
            errors["staffIds"] = [$"That is {staffIds.Count + numbers.Count} people; one request asks for at most {MaxMembers}."];
        if (errors.Count > 0)
            return Problems.Validation(errors);

        var raise = new HostAidRaise
        {
            RequestId = Guid.CreateVersion7(), HostOdsCode = ods, HomeOdsCode = homeOds, AgreementId = agreement.Id, AgreementVersion = agreement.Version,
            Role = request.Role!, Start = request.Start!.Value, End = request.End!.Value, RaisedBy = user.Actor(), RaisedAt = now, Named = staffIds.Count + numbers.Count,
        };
        db.Add(raise);
        db.AddOutboxMessage(new MutualAidRaisedByHost
        {
            RequestId = raise.RequestId, HostOdsCode = ods, HomeOdsCode = homeOds, AgreementId = raise.AgreementId, Role = raise.Role, Start = raise.Start,
            End = raise.End, RaisedBy = raise.RaisedBy, RaisedAt = now, StaffIds = staffIds, AssignmentNumbers = numbers,
        }, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/mutual-aid/{raise.RequestId}/raised", raise.ToResponse());
    }

    public static async Task<Ok<List<HostAidRaiseResponse>>> List(ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var raises = await db.Set<HostAidRaise>().AsNoTracking().Where(r => r.HostOdsCode == ods).OrderByDescending(r => r.RaisedAt).Take(200)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(raises.Select(r => r.ToResponse()).ToList());
    }

    public static async Task<Results<Ok<HostAidRaiseResponse>, ProblemHttpResult>> One(
        Guid requestId, ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var raise = await db.Set<HostAidRaise>().AsNoTracking().FirstOrDefaultAsync(r => r.RequestId == requestId && r.HostOdsCode == ods, cancellationToken);
        return raise is null
            ? Problems.NotFound("aid_raise_not_found", $"Your organisation has raised no mutual-aid request {requestId}.")
            : TypedResults.Ok(raise.ToResponse());
    }

    public static async Task<Ok<List<RaisableAgreement>>> Agreements(ClaimsPrincipal user, VerifierDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var ids = await db.Set<Agreement>().AsNoTracking().Where(a => a.OdsCode == ods).OrderBy(a => a.Title).ThenBy(a => a.Id).Select(a => a.Id).Take(200)
            .ToListAsync(cancellationToken);
        var list = new List<RaisableAgreement>();
        foreach (var id in ids)
        {
            if (await AgreementLookup.LoadAsync(db, ods, id, null, cancellationToken) is not { Rules: { HostMayRaiseMutualAid: true } rules } || rules.EndsOn < today)
                continue;
            list.Add(new RaisableAgreement(id, rules.Title, rules.StartsOn, rules.EndsOn, rules.MaxDeploymentDays, [.. rules.Parties.Where(p => p != ods)],
                [.. rules.Roles.Select(r => r.Role)]));
        }
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Ok<List<Visitor>>, ValidationProblem>> Visitors(
        [OdsCode(ErrorMessage = "Give an ODS code: 3 to 10 capital letters and digits.")] string? homeOdsCode, ClaimsPrincipal user, VerifierDbContext db,
        CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var query = db.Set<Deployment>().AsNoTracking().Where(d => d.HostOdsCode == ods);
        if (homeOdsCode is not null)
            query = query.Where(d => d.HomeOdsCode == homeOdsCode);
        var rows = await query.OrderByDescending(d => d.Start).Take(5000)
            .Select(d => new { d.HomeOdsCode, d.StaffId, d.GivenName, d.FamilyName, d.Start, d.End }).ToListAsync(cancellationToken);
        var visitors = rows.GroupBy(r => (r.HomeOdsCode, r.StaffId)).Select(g => g.First())
            .Select(r => new Visitor(r.HomeOdsCode, r.StaffId, r.GivenName, r.FamilyName, r.Start, r.End))
            .OrderBy(v => v.FamilyName).ThenBy(v => v.GivenName).ThenBy(v => v.StaffId).Take(500).ToList();
        return TypedResults.Ok(visitors);
    }

    private static HostAidRaiseResponse ToResponse(this HostAidRaise r) => new(
        r.RequestId, r.HomeOdsCode, r.AgreementId, r.Role, r.Start, r.End, r.RaisedBy, r.RaisedAt, r.Named, r.AnsweredAt is null ? "sent" : "answered", r.Asked,
        r.NotFoundCount, r.NotFound is { } notFound ? notFound.Split(',') : [], r.AnsweredAt);

    /// <summary>The assignment_number column of a CSV file: a header row, then one person a row. Quotes only around a whole field.</summary>
    private static (List<string>? Numbers, string? Problem) AssignmentNumbers(string text)
    {
        var lines = text.TrimStart('\uFEFF').Split('\n').Select((l, i) => (Line: i + 1, Text: l.TrimEnd('\r'))).Where(l => l.Text.Trim().Length > 0).ToList();
        if (lines.Count < 2)
            return (null, "The CSV file needs a header row and at least one row of staff.");
        if (lines.Count > MaxMembers + 1)
            return (null, $"The CSV file names more than {MaxMembers} people; one request asks for at most {MaxMembers}.");
        string[]? Fields(string line)
        {
            var fields = line.Split(',').Select(f => f.Trim()).ToArray();
            for (var i = 0; i < fields.Length; i++)
            {
                if (fields[i].Length >= 2 && fields[i][0] == '"' && fields[i][^1] == '"' && !fields[i][1..^1].Contains('"', StringComparison.Ordinal))
                    fields[i] = fields[i][1..^1].Trim();
                else if (fields[i].Contains('"', StringComparison.Ordinal))
                    return null;
            }
            return fields;
        }
        var header = Fields(lines[0].Text);
        var column = header is null ? -1 : Array.FindIndex(header, f => string.Equals(f, "assignment_number", StringComparison.OrdinalIgnoreCase));
        if (column < 0)
            return (null, "The CSV file's header row needs an assignment_number column.");
        var numbers = new List<string>();
        foreach (var (line, content) in lines.Skip(1))
        {
            var fields = Fields(content);
            if (fields is null)
                return (null, $"Line {line}: a quote may only enclose a whole field.");
            if (fields.Length <= column || fields[column] is not { Length: > 0 and <= 30 } number)
                return (null, $"Line {line}: give an assignment number (at most 30 characters).");
            if (!numbers.Contains(number, StringComparer.Ordinal))
                numbers.Add(number);
        }
        return (numbers, null);
    }
}

/// <summary>The home organisation answered a request the host raised: how many it asked to consent, and whom it could not find.</summary>
internal sealed class MutualAidHostRequestAnsweredConsumer(VerifierDbContext db) : MassTransit.IConsumer<MutualAidHostRequestAnswered>
{
    public async Task Consume(MassTransit.ConsumeContext<MutualAidHostRequestAnswered> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var raise = await db.Set<HostAidRaise>().FirstOrDefaultAsync(r => r.RequestId == m.RequestId && r.HostOdsCode == m.HostOdsCode && r.HomeOdsCode == m.HomeOdsCode, ct);
        raise?.TryAnswer(m.Asked, m.UnknownAssignmentNumbers, m.UnknownStaff, m.AnsweredAt);
        await db.SaveChangesAsync(ct);
    }
}
