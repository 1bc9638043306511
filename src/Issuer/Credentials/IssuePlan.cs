using System.Text.Json.Nodes;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;

namespace Passport.Issuer.Credentials;

/// <summary>One credential to issue: whose, which type, the facts (as the catalogue type's input) and the source's own reference.</summary>
public sealed record IssueItem
{
    public required Guid StaffId { get; init; }
    public required string Type { get; init; }

    /// <summary>The source system's record reference: issuing it again returns the credential already issued and changes nothing.</summary>
    public string? SourceReference { get; init; }

    public JsonObject? Claims { get; init; }
    public JsonObject? Provenance { get; init; }

    /// <summary>Why, for the audit trail.</summary>
    public string? Reason { get; init; }

    /// <summary>A credential this one re-issues: it is withdrawn as superseded in the same transaction.</summary>
    public Guid? Replaces { get; init; }
}

/// <summary>What became of an item; each kind has one way to answer over HTTP (<c>IssueCredential.ToResult</c>).</summary>
public enum IssueOutcomeKind
{
    Issued,
    Existing,

    /// <summary>Some fields are missing or invalid: <see cref="IssueOutcome.Errors"/> names each.</summary>
    Invalid,

    /// <summary>The type is not in the catalogue.</summary>
    UnknownType,

    NotFound,
    Conflict,
}

/// <summary>
/// What became of one item: issued (or already issued under the same source reference), or why not: <see cref="Code"/>
/// is a stable problem code and <see cref="Errors"/> names each bad field (<c>type</c>, <c>claims.x</c>, <c>provenance.x</c>).
/// </summary>
public sealed record IssueOutcome(int Index, IssueOutcomeKind Kind, IssuedCredential? Credential, string? Code, string? Detail, IReadOnlyDictionary<string, string[]>? Errors)
{
    public bool Succeeded => Kind is IssueOutcomeKind.Issued or IssueOutcomeKind.Existing;

    /// <summary>The kind's name in a batch's results, as the API has always spelt it.</summary>
    public string Name => Kind switch
    {
        IssueOutcomeKind.Issued => "issued",
        IssueOutcomeKind.Existing => "existing",
        IssueOutcomeKind.Invalid or IssueOutcomeKind.UnknownType => "invalid",
        IssueOutcomeKind.NotFound => "notfound",
        _ => "conflict",
    };
}

/// <summary>What a batch is checked against, read beforehand with one query each.</summary>
internal sealed record IssueLookups(
    Organisation Organisation,
    IReadOnlyDictionary<Guid, StaffMember> Staff,
    IReadOnlyDictionary<(string Type, string Reference), IssuedCredential> Existing,
    IReadOnlyDictionary<Guid, IssuedCredential> Replaced,
    IReadOnlySet<Guid> AlreadyReplaced);

/// <summary>An item that will be issued: its position among all the items, its input, and its claims as built and checked.</summary>
internal sealed record PlannedCredential(int Index, IssueItem Item, CredentialType Type, JsonObject Claims, DateTimeOffset ExpiresAt);

/// <summary>
/// A batch decided before anything is written: the credentials to issue, the outcome of each item refused or already issued, and
/// the items that repeat an earlier one of the batch (they come back as existing, with the earlier one's credential).
/// </summary>
internal sealed class IssuePlan
{
    private readonly Dictionary<(string, string), int> plannedByReference = [];

    public List<PlannedCredential> ToIssue { get; } = [];
    public List<IssueOutcome> Decided { get; } = [];
    public List<(int Index, PlannedCredential Earlier)> Repeats { get; } = [];

    /// <summary>Checks items <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> against the lookups and the catalogue. Pure: it reads and writes nothing else.</summary>
    public static IssuePlan Make(IReadOnlyList<IssueItem> items, int start, int count, IssueLookups lookups, DateTimeOffset now, string actor, CatalogueOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(lookups);
        var plan = new IssuePlan();
        for (var index = start; index < start + count; index++)
        {
            var item = items[index];
            if (plan.Check(index, item, lookups, now, actor, options) is { } outcome)
                plan.Decided.Add(outcome);
        }
        return plan;
    }

    private IssueOutcome? Check(int index, IssueItem item, IssueLookups lookups, DateTimeOffset now, string actor, CatalogueOptions options)
    {
        var type = CredentialCatalogue.Find(item.Type);
        if (type is null)
        {
            return new(index, IssueOutcomeKind.UnknownType, null, "unknown_credential_type", $"There is no credential type '{item.Type}'.",
                new Dictionary<string, string[]> { ["type"] = [$"Use one of: {CredentialCatalogue.TypeList}."] });
        }
        if (item.SourceReference is { } r && (r.Length is 0 or > 200 || r.Trim() != r))
        {
            return Invalid(index, "The source reference is not valid.",
                new() { ["sourceReference"] = ["Give the source record's reference: 1 to 200 characters, no surrounding spaces."] });
        }
        if (!lookups.Staff.TryGetValue(item.StaffId, out var member))
            return new(index, IssueOutcomeKind.NotFound, null, "staff_not_found", $"Your organisation has no staff record {item.StaffId}.", null);
        if (item.SourceReference is { } reference)
        {
            if (lookups.Existing.TryGetValue((type.Key, reference), out var found))
                return found.StaffId == item.StaffId ? new(index, IssueOutcomeKind.Existing, found, null, null, null) : ReferenceInUse(index, reference);
            if (plannedByReference.TryGetValue((type.Key, reference), out var earlier))
            {
                if (ToIssue[earlier].Item.StaffId != item.StaffId)
                    return ReferenceInUse(index, reference);
                Repeats.Add((index, ToIssue[earlier]));
                return null;
            }
        }
        if (item.Replaces is { } replacesId)
        {
            if (!lookups.Replaced.TryGetValue(replacesId, out var old) || old.StaffId != item.StaffId)
                return new(index, IssueOutcomeKind.NotFound, null, "credential_not_found", $"This member of staff has no credential {replacesId} to re-issue.", null);
            if (old.Type != type.Key)
                return Invalid(index, "A re-issued credential has the type of the one it replaces.", new() { ["type"] = [$"Use {old.Type}."] });
            if (lookups.AlreadyReplaced.Contains(replacesId) || ToIssue.Any(p => p.Item.Replaces == replacesId))
                return new(index, IssueOutcomeKind.Conflict, null, "already_reissued", $"Credential {replacesId} has already been re-issued; re-issue its replacement instead.", null);
        }
        var (claims, expiresAt, errors) = type.Build(item.Claims, item.Provenance, new IssueContext(lookups.Organisation, member, now, actor, options));
        if (claims is null)
            return Invalid(index, $"Some of the {type.Key} credential's fields are missing or invalid.", errors.ToDictionary());
        if (item.SourceReference is { } newReference)
            plannedByReference[(type.Key, newReference)] = ToIssue.Count;
        ToIssue.Add(new PlannedCredential(index, item, type, claims, expiresAt));
        return null;
    }

    private static IssueOutcome ReferenceInUse(int index, string reference) =>
        new(index, IssueOutcomeKind.Conflict, null, "source_reference_in_use", $"Source reference '{reference}' was already used for another member of staff's credential of this type.", null);

    private static IssueOutcome Invalid(int index, string detail, Dictionary<string, string[]> errors) =>
        new(index, IssueOutcomeKind.Invalid, null, "validation_failed", detail, errors);
}
