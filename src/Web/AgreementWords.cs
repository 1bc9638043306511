using System.Text.Json.Nodes;
using System.Xml;
using Passport.Web.Api;

namespace Passport.Web;

/// <summary>An agreement's rules read as plain English, with the catalogue's labels for the claims they read.</summary>
public static class AgreementWords
{
    public static IReadOnlyList<string> Conditions(JsonArray? conditions, CatalogueType? type) =>
        [.. (conditions ?? []).OfType<JsonObject>().Select(c => Condition(c, type))];

    public static string Condition(JsonObject c, CatalogueType? type)
    {
        if (c["anyOf"] is JsonArray any)
            return "either " + string.Join(", or ", any.OfType<JsonObject>().Select(x => Condition(x, type)));
        if (c["allTrue"] is JsonArray all)
            return "it says yes to " + string.Join(" and ", all.Select(p => Label(p as JsonArray, type)));
        if (c["claim"] is JsonArray claim)
        {
            var name = Claim(claim, type);
            if (c["equals"] is { } value)
                return $"{name} is {Lower(Words.Value(value))}";
            if (c["oneOf"] is JsonArray values)
                return $"{name} is {string.Join(" or ", values.Select(v => Lower(Words.Value(v))))}";
        }
        if (c["date"] is JsonArray date)
        {
            // "Issued on" reads as "issued on or after ..." and "issued within ..."; "Start date" as "the start date is ...".
            var label = Label(date, type);
            var on = label.EndsWith(" on", StringComparison.Ordinal);
            if (c["onOrAfter"]?.ToString() is { } anchor)
                return on ? $"{label} or after {Anchor(anchor)}" : $"the {label} is on or after {Anchor(anchor)}";
            if (c["within"]?.ToString() is { } within)
                return $"{(on ? label[..^3] : $"the {label} is")} within {Period(within)} of {Anchor(c["of"]?.ToString() ?? "start")}";
        }
        return "a further condition on its contents";
    }

    private static string Claim(JsonArray? path, CatalogueType? type) => "the " + Label(path, type);

    private static string Label(JsonArray? path, CatalogueType? type)
    {
        var first = path?.FirstOrDefault()?.ToString() ?? "";
        return (type?.Claims.FirstOrDefault(f => f.Name == first)?.Label ?? Words.Sentence(first)).ToLowerInvariant();
    }

    private static string Lower(string text) => text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    private static string Anchor(string anchor) => anchor switch
    {
        "start" => "the deployment's first day",
        "end" => "the deployment's last day",
        _ => "today",
    };

    /// <summary>"P3Y" → "3 years", "P30D" → "30 days".</summary>
    public static string Period(string iso)
    {
        try
        {
            var parts = new List<string>();
            var text = iso.TrimStart('P');
            var number = "";
            foreach (var ch in text)
            {
                if (char.IsDigit(ch))
                {
                    number += ch;
                    continue;
                }
                var unit = ch switch { 'Y' => "year", 'M' => "month", 'W' => "week", 'D' => "day", _ => null };
                if (unit is null || number.Length == 0)
                    return Fallback(iso);
                parts.Add($"{number} {unit}{(number == "1" ? "" : "s")}");
                number = "";
            }
            return parts.Count == 0 ? Fallback(iso) : string.Join(" and ", parts);
        }
        catch (FormatException)
        {
            return Fallback(iso);
        }
    }

    private static string Fallback(string iso)
    {
        try
        {
            return $"{(int)XmlConvert.ToTimeSpan(iso).TotalDays} days";
        }
        catch (FormatException)
        {
            return "the agreed period";
        }
    }
}
