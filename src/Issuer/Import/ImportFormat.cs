using System.Globalization;
using System.Text.Json.Nodes;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Staff;

namespace Passport.Issuer.Import;

/// <summary>What is wrong with one field of one row.</summary>
public sealed record RowError(int Line, string Field, string Reason);

internal enum RowKind
{
    Staff,
    Credential,
}

/// <summary>One data row, read and checked as far as it can be without the database.</summary>
internal sealed record ImportRow(int Line, RowKind Kind, string? Type, string? SourceRef, string? AssignmentNumber)
{
    public StaffDetails? Staff { get; init; }
    public JsonObject? Claims { get; init; }
    public JsonObject? Provenance { get; init; }
    public List<RowError> Errors { get; } = [];

    public void Error(string field, string reason) => Errors.Add(new RowError(Line, field, reason));
}

/// <summary>
/// The import file's columns (docs/import.md). Every row has <c>record_type</c> (staff, training or check), <c>source_ref</c> (the
/// source system's own record reference) and <c>assignment_number</c>; check rows name their <c>check_type</c>. The other columns
/// are the staff record's fields and the catalogue's claim names, read per row type; <c>provenance_*</c> fill the provenance block.
/// </summary>
internal static class ImportFormat
{
    public const string RecordType = "record_type";
    public const string SourceRef = "source_ref";
    public const string AssignmentNumber = "assignment_number";
    public const string CheckType = "check_type";
    public const string ProvenancePrefix = "provenance_";

    public static readonly string[] CheckTypes =
        ["identity", "right-to-work", "dbs", "references", "professional-registration", "occupational-health", "employment"];

    public static readonly string[] RecordTypes = ["staff", "training", "check"];

    private static readonly (string Column, string ApiField)[] StaffColumns =
    [
        ("given_name", "givenName"), ("family_name", "familyName"), ("date_of_birth", "dateOfBirth"), ("staff_group", "staffGroup"), ("job_title", "jobTitle"),
        ("email", "email"), ("mobile", "mobile"),
    ];

    public static readonly string[] Required = [RecordType, SourceRef, AssignmentNumber];

    /// <summary>Every column a file may have, in a stable order for messages.</summary>
    public static IReadOnlyList<string> Known { get; } = BuildKnown();

    private static List<string> BuildKnown()
    {
        var known = new List<string> { RecordType, SourceRef, AssignmentNumber, CheckType };
        known.AddRange(StaffColumns.Select(c => c.Column));
        foreach (var type in CheckTypes.Prepend("training").Select(t => CredentialCatalogue.Find(t)!))
            known.AddRange(type.Fields.Where(f => f.IsInput).Select(f => f.Name));
        known.AddRange(CredentialCatalogue.Find("training")!.ProvenanceFields.Select(f => ProvenancePrefix + f.Name));
        return [.. known.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Column name → position, or what is wrong with the header (each bad or missing column named).</summary>
    public static (Dictionary<string, int>? Columns, Dictionary<string, string[]> Errors) ReadHeader(string[] header)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().ToLowerInvariant();
            if (name.Length == 0)
                errors[$"column {i + 1}"] = ["A column has no name; name it or remove it."];
            else if (!Known.Contains(name, StringComparer.Ordinal))
                errors[name] = ["Unknown column; see docs/import.md for the columns of each row type."];
            else if (!columns.TryAdd(name, i))
                errors[name] = ["The column appears more than once."];
        }
        foreach (var required in Required.Where(r => !columns.ContainsKey(r)))
            errors[required] = ["Required column is missing."];
        return (errors.Count == 0 ? columns : null, errors);
    }

    public static ImportRow Read(CsvRecord record, Dictionary<string, int> columns, int headerWidth)
    {
        string Cell(string column) => columns.TryGetValue(column, out var at) && at < record.Fields.Length ? record.Fields[at].Trim() : "";

        var recordType = Cell(RecordType);
        var sourceRef = Cell(SourceRef);
        var assignment = Cell(AssignmentNumber);
        var checkType = Cell(CheckType);
        var kind = recordType == "staff" ? RowKind.Staff : RowKind.Credential;
        var type = recordType switch
        {
            "training" => "training",
            "check" when CheckTypes.Contains(checkType, StringComparer.Ordinal) => checkType,
            _ => null,
        };
        var row = new ImportRow(record.Line, kind, type, sourceRef.Length == 0 ? null : sourceRef, assignment.Length == 0 ? null : assignment);

        if (record.Fields.Length != headerWidth)
        {
            row.Error("row", $"The row has {record.Fields.Length} fields and the header {headerWidth}; check for a missing or extra comma, or a comma that should be inside quotes.");
            return row;
        }
        if (!RecordTypes.Contains(recordType, StringComparer.Ordinal))
            row.Error(RecordType, $"Use one of: {string.Join(", ", RecordTypes)}.");
        else if (recordType == "check" && type is null)
            row.Error(CheckType, $"A check row names its check: one of {string.Join(", ", CheckTypes)}.");
        else if (recordType != "check" && checkType.Length > 0)
            row.Error(CheckType, "Only check rows have a check type; leave it empty.");
        if (sourceRef.Length == 0)
            row.Error(SourceRef, "Required: the source system's own reference for this record.");
        else if (sourceRef.Length > 200)
            row.Error(SourceRef, "Keep it to at most 200 characters.");
        if (assignment.Length == 0)
            row.Error(AssignmentNumber, "Required: the member of staff's assignment number.");
        if (row.Errors.Count > 0)
            return row;

        return kind == RowKind.Staff ? ReadStaff(row, columns, Cell) : ReadCredential(row, type!, columns, Cell);
    }

    private static ImportRow ReadStaff(ImportRow row, Dictionary<string, int> columns, Func<string, string> cell)
    {
        RejectOthers(row, columns, cell, [.. StaffColumns.Select(c => c.Column)], "staff");
        string? Optional(string column) => cell(column) is { Length: > 0 } value ? value : null;
        return row with
        {
            Staff = new StaffDetails(
                Optional("given_name"), Optional("family_name"), Optional("date_of_birth"), row.AssignmentNumber, Optional("staff_group"), Optional("job_title"), Subject: null,
                Email: Optional("email"), Mobile: Optional("mobile")),
        };
    }

    private static ImportRow ReadCredential(ImportRow row, string typeKey, Dictionary<string, int> columns, Func<string, string> cell)
    {
        var type = CredentialCatalogue.Find(typeKey)!;
        var inputs = type.Fields.Where(f => f.IsInput).ToList();
        RejectOthers(row, columns, cell, [.. inputs.Select(f => f.Name), .. type.ProvenanceFields.Select(f => ProvenancePrefix + f.Name)], typeKey);
        var claims = new JsonObject();
        foreach (var field in inputs)
        {
            var text = cell(field.Name);
            if (text.Length == 0)
                continue;
            if (Convert(field, text, out var reason) is { } value)
                claims[field.Name] = value;
            else
                row.Error(field.Name, reason!);
        }
        var provenance = new JsonObject();
        foreach (var field in type.ProvenanceFields)
        {
            if (cell(ProvenancePrefix + field.Name) is { Length: > 0 } text)
                provenance[field.Name] = text;
        }
        return row with { Claims = claims, Provenance = provenance };
    }

    private static void RejectOthers(ImportRow row, Dictionary<string, int> columns, Func<string, string> cell, HashSet<string> own, string rowType)
    {
        foreach (var column in columns.Keys)
        {
            if (column is RecordType or SourceRef or AssignmentNumber or CheckType || own.Contains(column))
                continue;
            if (cell(column).Length > 0)
                row.Error(column, $"This column is not used on {rowType} rows; leave it empty.");
        }
    }

    /// <summary>A cell as the JSON the catalogue reads; its checks (choices, dates, ranges) then run as for the API.</summary>
    private static JsonNode? Convert(ClaimField field, string text, out string? reason)
    {
        reason = null;
        switch (field.Kind)
        {
            case ClaimKind.Flag:
                switch (text.ToLowerInvariant())
                {
                    case "true" or "yes" or "y":
                        return true;
                    case "false" or "no" or "n":
                        return false;
                    default:
                        reason = "Give true or false (yes/no and y/n are accepted too).";
                        return null;
                }
            case ClaimKind.Number:
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    return number;
                reason = $"Give a whole number from {field.Min} to {field.Max}.";
                return null;
            case ClaimKind.List:
                return ReadList(field, text, out reason);
            default:
                return text;
        }
    }

    /// <summary>A list of objects in one cell: entries separated by ';', each entry's fields in order separated by ':' (e.g. <c>hepatitis_b:immune;measles:vaccinated:2024-05-01</c>).</summary>
    private static JsonArray? ReadList(ClaimField field, string text, out string? reason)
    {
        var items = field.Items!;
        var array = new JsonArray();
        foreach (var entry in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length > items.Count)
            {
                reason = $"Each entry is {string.Join(":", items.Select(i => i.Name))} (the last ones optional), entries separated by ';'.";
                return null;
            }
            var item = new JsonObject();
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i].Length > 0)
                    item[items[i].Name] = parts[i];
            }
            array.Add(item);
        }
        reason = null;
        return array;
    }

    /// <summary>The CSV column an issuance error is about: <c>claims.x[0].y</c> → <c>x</c>, <c>provenance.x</c> → <c>provenance_x</c>.</summary>
    public static string ColumnFor(string field)
    {
        if (field.StartsWith("claims.", StringComparison.Ordinal))
        {
            var name = field["claims.".Length..];
            var end = name.IndexOfAny(['[', '.']);
            return end < 0 ? name : name[..end];
        }
        if (field.StartsWith("provenance.", StringComparison.Ordinal))
            return ProvenancePrefix + field["provenance.".Length..];
        return field switch
        {
            "sourceReference" => SourceRef,
            "type" => CheckType,
            _ => StaffColumns.FirstOrDefault(c => c.ApiField == field).Column ?? (field == "assignmentNumber" ? AssignmentNumber : field),
        };
    }
}
