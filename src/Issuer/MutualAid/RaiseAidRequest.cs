using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.Issuer.Import;
using Passport.Messaging;
using Passport.ServiceDefaults;

namespace Passport.Issuer.MutualAid;

/// <summary>
/// HR raises a mutual-aid request: named staff (picked by id, every one of a staff group or job title, or the assignment
/// numbers of a CSV file), a host, the host's agreement, a role, start and end. Each person is asked to consent; the
/// request, its members, their audit entries and the consent requests commit together.
/// </summary>
internal static class RaiseAidRequest
{
    public const int MaxMembers = 5000;
    private const int MaxCsvLength = 1_000_000;
    private const string HostError = "Give the ODS code of the organisation the staff would go to (3 to 10 capital letters and digits).";
    private const string RoleError = "Name the role, as the agreement names it (letters, digits and underscores, at most 64).";

    public sealed record RaiseAidRequestBody(
        [Required(ErrorMessage = HostError)][OdsCode(ErrorMessage = HostError)] string? HostOdsCode,
        Guid? AgreementId,
        [Required(ErrorMessage = RoleError)][RegularExpression("^[A-Za-z0-9_]{1,64}$", ErrorMessage = RoleError)] string? Role,
        [Required(ErrorMessage = "Give the first day (yyyy-mm-dd).")] DateOnly? Start,
        [Required(ErrorMessage = "Give the last day (yyyy-mm-dd).")] DateOnly? End,
        [MaxLength(MaxMembers, ErrorMessage = "Pick at most 5000 people.")] IReadOnlyList<Guid>? StaffIds,
        [MaxLength(100, ErrorMessage = "A staff group has at most 100 characters.")] string? StaffGroup,
        [MaxLength(200, ErrorMessage = "A job title has at most 200 characters.")] string? JobTitle,
        [MaxLength(MaxCsvLength, ErrorMessage = "The CSV file is larger than 1000 kB; split it.")] string? Csv) : IValidatableObject
    {
        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (AgreementId is null || AgreementId == Guid.Empty)
                yield return new ValidationResult("Give the id of the host's workforce sharing agreement the staff would work under.", [nameof(AgreementId)]);
            if (End < Start)
                yield return new ValidationResult("The last day cannot be before the first.", [nameof(End)]);
            if (StaffIds is not { Count: > 0 } && string.IsNullOrWhiteSpace(StaffGroup) && string.IsNullOrWhiteSpace(JobTitle) && string.IsNullOrWhiteSpace(Csv))
            {
                yield return new ValidationResult(
                    "Name the staff to ask: pick them, choose a staff group or job title, or give a CSV file of assignment numbers.", [nameof(StaffIds)]);
            }
        }
    }

    public static async Task<Results<Created<AidRequestResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        RaiseAidRequestBody request, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        // Against the caller and the clock, so not the request's shape: its attributes checked that before this handler ran.
        if (request.HostOdsCode == ods)
            errors["hostOdsCode"] = ["The host must be another organisation than yours."];
        if (request.End < DateOnly.FromDateTime(now.UtcDateTime))
            errors["end"] = ["The last day has already passed."];
        if (errors.Count > 0)
            return Problems.Validation(errors);

        var staffIds = new HashSet<Guid>(request.StaffIds ?? []);
        if (staffIds.Count > 0)
        {
            var ids = staffIds.ToList();
            var known = await db.Staff.AsNoTracking().Where(s => s.OdsCode == ods && ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
            var unknown = ids.Except(known).ToList();
            if (unknown.Count > 0)
                errors["staffIds"] = [$"{unknown.Count} of the people picked are not your organisation's staff, for example {unknown[0]}."];
        }
        if (!string.IsNullOrWhiteSpace(request.StaffGroup) || !string.IsNullOrWhiteSpace(request.JobTitle))
        {
            var query = db.Staff.AsNoTracking().Where(s => s.OdsCode == ods);
            if (request.StaffGroup?.Trim() is { Length: > 0 } group)
                query = query.Where(s => s.StaffGroup == group);
            if (request.JobTitle?.Trim() is { Length: > 0 } title)
                query = query.Where(s => s.JobTitle == title);
            var matching = await query.Select(s => s.Id).Take(MaxMembers + 1).ToListAsync(cancellationToken);
            if (matching.Count == 0)
                errors["staffGroup"] = ["None of your staff has that staff group and job title."];
            staffIds.UnionWith(matching);
        }
        if (!string.IsNullOrWhiteSpace(request.Csv))
        {
            var (fromCsv, problem) = await FromCsvAsync(db, ods, request.Csv, cancellationToken);
            if (problem is not null)
                errors["csv"] = [problem];
            else
                staffIds.UnionWith(fromCsv!);
        }
        if (errors.Count == 0 && staffIds.Count > MaxMembers)
            errors["staffIds"] = [$"That is {staffIds.Count} people; one request asks at most {MaxMembers}."];
        if (errors.Count > 0)
            return Problems.Validation(errors);

        var aid = new AidRequest
        {
            HomeOdsCode = ods, HostOdsCode = request.HostOdsCode!, AgreementId = request.AgreementId!.Value, Role = request.Role!, Start = request.Start!.Value,
            End = request.End!.Value, RaisedBy = user.Actor(), RaisedAt = now,
        };
        db.Add(aid);
        AskEach(db, aid, staffIds, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/mutual-aid-requests/{aid.Id}", (await GetAidRequest.ViewAsync(db, ods, aid.Id, cancellationToken))!);
    }

    /// <summary>Adds each person to the request, with their audit entry and consent request; commits with the caller's SaveChanges.</summary>
    public static void AskEach(IssuerDbContext db, AidRequest aid, IEnumerable<Guid> staffIds, DateTimeOffset now)
    {
        var by = aid.RaisedByOdsCode is { } host ? $" Raised by {host}, the host." : "";
        foreach (var staffId in staffIds.Order())
        {
            var member = new AidMember { RequestId = aid.Id, HomeOdsCode = aid.HomeOdsCode, StaffId = staffId };
            db.Add(member);
            db.Audit.Add(new AuditEntry
            {
                OdsCode = aid.HomeOdsCode, StaffId = staffId, Action = AidAudit.Requested, Actor = aid.RaisedBy, At = now,
                Reason = $"Asked to consent to mutual aid at {aid.HostOdsCode} as {aid.Role}, {aid.Start:d MMMM yyyy} to {aid.End:d MMMM yyyy}.{by}",
            });
            db.AddOutboxMessage(new MutualAidConsentRequested
            {
                RequestId = aid.Id, MemberId = member.Id, HomeOdsCode = aid.HomeOdsCode, HostOdsCode = aid.HostOdsCode, StaffId = staffId, AgreementId = aid.AgreementId,
                Role = aid.Role, Start = aid.Start, End = aid.End, RequestedAt = now,
            }, now);
        }
    }

    private static async Task<(List<Guid>? StaffIds, string? Problem)> FromCsvAsync(IssuerDbContext db, string ods, string text, CancellationToken cancellationToken)
    {
        var (records, error) = Csv.Parse(text, MaxMembers + 2);
        if (error is not null)
            return (null, $"Line {error.Line}: {error.Reason}");
        if (records!.Count < 2)
            return (null, "The CSV file needs a header row and at least one row of staff.");
        var column = Array.FindIndex(records[0].Fields, f => string.Equals(f.Trim(), "assignment_number", StringComparison.OrdinalIgnoreCase));
        if (column < 0)
            return (null, "The CSV file's header row needs an assignment_number column.");
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Length <= column || record.Fields[column].Trim() is not { Length: > 0 and <= 30 } number)
                return (null, $"Line {record.Line}: give an assignment number.");
            numbers.TryAdd(number, record.Line);
        }
        var wanted = numbers.Keys.ToList();
        var found = await db.Staff.AsNoTracking().Where(s => s.OdsCode == ods && wanted.Contains(s.AssignmentNumber))
            .Select(s => new { s.Id, s.AssignmentNumber }).ToListAsync(cancellationToken);
        var missing = wanted.Except(found.Select(f => f.AssignmentNumber), StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            return (null, $"Line {numbers[missing[0]]}: none of your staff has the assignment number {missing[0]}{(missing.Count > 1 ? $" (and {missing.Count - 1} more lines like it)" : "")}.");
        return (found.Select(f => f.Id).ToList(), null);
    }
}

internal static class AidAudit
{
    public const string Requested = "mutual_aid_requested";
    public const string Consented = "mutual_aid_consented";
    public const string Declined = "mutual_aid_declined";
}
