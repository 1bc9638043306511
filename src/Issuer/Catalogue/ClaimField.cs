using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Passport.Issuer.Catalogue;

internal enum ClaimKind
{
    Text,
    Date,
    Choice,
    Flag,
    Number,
    List,
}

/// <summary>Whether a claim is selectively disclosable, in the words of SD-JWT VC Type Metadata.</summary>
internal enum Disclosability
{
    Never,
    Allowed,
    Always,
}

/// <summary>
/// One claim of a credential type: how its input is checked, where its value comes from when it is not input,
/// and whether it is selectively disclosable by default.
/// </summary>
internal sealed record ClaimField
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    public string? Description { get; init; }
    public ClaimKind Kind { get; init; } = ClaimKind.Text;
    public bool Required { get; init; }
    public Disclosability Sd { get; init; } = Disclosability.Allowed;
    public IReadOnlyList<string>? Choices { get; init; }
    public Regex? Pattern { get; init; }
    public string? PatternHint { get; init; }
    public int MaxLength { get; init; } = 200;
    public int Min { get; init; }
    public int Max { get; init; } = int.MaxValue;
    public bool NotInFuture { get; init; }

    /// <summary>For lists: the fields of each element, and whether each element is separately disclosable.</summary>
    public IReadOnlyList<ClaimField>? Items { get; init; }

    public bool ItemsDisclosable { get; init; }
    public int MaxItems { get; init; } = 50;

    /// <summary>Taken from the staff or organisation record; never input.</summary>
    public Func<IssueContext, JsonNode?>? FromRecord { get; init; }

    /// <summary>The value when the input leaves it out (it may depend on the claims read so far).</summary>
    public Func<IssueContext, JsonObject, JsonNode?>? Default { get; init; }

    public bool IsInput => FromRecord is null;

    public string KindName => Kind switch
    {
        ClaimKind.Text => "string",
        ClaimKind.Date => "date (yyyy-mm-dd)",
        ClaimKind.Choice => "one of the choices",
        ClaimKind.Flag => "boolean",
        ClaimKind.Number => "integer",
        _ => "list of objects",
    };

    /// <summary>Checks one input value; returns it normalised, or adds what is wrong to <paramref name="errors"/> under <paramref name="path"/>.</summary>
    public JsonNode? Read(JsonNode node, string path, IssueContext context, Errors errors)
    {
        switch (Kind)
        {
            case ClaimKind.Text:
            {
                if (!TryString(node, out var text) || text.Trim().Length == 0)
                    return errors.Add(path, "Give a non-empty string.");
                text = text.Trim();
                if (text.Length > MaxLength)
                    return errors.Add(path, $"Keep it to at most {MaxLength} characters.");
                if (Pattern is not null && !Pattern.IsMatch(text))
                    return errors.Add(path, PatternHint ?? $"It must match {Pattern}.");
                return text;
            }
            case ClaimKind.Choice:
                if (!TryString(node, out var choice) || !Choices!.Contains(choice, StringComparer.Ordinal))
                    return errors.Add(path, $"Use one of: {string.Join(", ", Choices!)}.");
                return choice;
            case ClaimKind.Date:
            {
                if (!TryString(node, out var text) || !TryDate(text, out var date))
                    return errors.Add(path, "Give a date as yyyy-mm-dd, for example 2025-03-31.");
                if (date.Year < 1900)
                    return errors.Add(path, "Give a date after 1900.");
                if (NotInFuture && date > context.Today)
                    return errors.Add(path, "This date cannot be in the future.");
                return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            case ClaimKind.Flag:
                return node.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                    ? node.GetValue<bool>()
                    : errors.Add(path, "Give true or false.");
            case ClaimKind.Number:
                return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var number) && number >= Min && number <= Max
                    ? number
                    : errors.Add(path, $"Give a whole number from {Min} to {Max}.");
            default:
                return ReadList(node, path, context, errors);
        }
    }

    private JsonNode? ReadList(JsonNode node, string path, IssueContext context, Errors errors)
    {
        if (node is not JsonArray array)
            return errors.Add(path, "Give a list.");
        if (array.Count > MaxItems)
            return errors.Add(path, $"Give at most {MaxItems} entries.");
        var result = new JsonArray();
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (array[i] is not JsonObject item)
            {
                errors.Add(itemPath, "Each entry is an object.");
                continue;
            }
            result.Add(ReadObject(Items!, item, itemPath + ".", context, errors));
        }
        return result;
    }

    /// <summary>Reads an object of <paramref name="fields"/>: unknown members, missing required ones and bad values are all reported.</summary>
    public static JsonObject ReadObject(IReadOnlyList<ClaimField> fields, JsonObject input, string prefix, IssueContext context, Errors errors)
    {
        foreach (var (name, _) in input)
        {
            if (!fields.Any(f => f.IsInput && f.Name == name))
            {
                var expected = string.Join(", ", fields.Where(f => f.IsInput).Select(f => f.Name));
                errors.Add(prefix + name, $"Unknown field; expected only: {expected}.");
            }
        }
        var result = new JsonObject();
        foreach (var field in fields)
        {
            var path = prefix + field.Name;
            var value = field.FromRecord is { } fromRecord
                ? fromRecord(context)
                : input[field.Name] is { } given ? field.Read(given, path, context, errors) : field.Default?.Invoke(context, result);
            if (value is not null)
                result[field.Name] = value;
            // A default that could not be worked out because of a field already reported is not a second mistake.
            else if (field.Required && !errors.Has(path) && !(field.Default is not null && errors.Count > 0))
                errors.Add(path, field.IsInput ? "Required." : "Required, and missing from the staff record.");
        }
        return result;
    }

    private static bool TryString(JsonNode node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }
        value = "";
        return false;
    }

    public static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}

/// <summary>Field → what is wrong with it, for a ValidationProblem.</summary>
internal sealed class Errors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    public JsonNode? Add(string field, string error)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(error);
        return null;
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
