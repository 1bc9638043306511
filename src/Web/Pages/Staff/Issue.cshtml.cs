using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Staff;

/// <summary>HR issues any type of the catalogue through a form built from the catalogue's fields, hints and allowed values.</summary>
public sealed class IssueModel(IssuerApi issuer, Directory directory) : FormPage
{
    public const int ListEntries = 3;

    [FromRoute]
    public Guid Id { get; set; }

    public string PersonName { get; private set; } = "";

    public IReadOnlyList<CatalogueType> Catalogue { get; private set; } = [];

    public CatalogueType? Type { get; private set; }

    public string? Reason { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? type, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if (type is not null)
        {
            Type = Catalogue.FirstOrDefault(t => t.Type == type);
            if (Type is null)
                AddError("type", "Select the credential to issue");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? type, string? reason, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        Type = Catalogue.FirstOrDefault(t => t.Type == type);
        if (Type is null)
        {
            AddError("type", "Select the credential to issue");
            return Page();
        }
        Reason = reason;
        var claims = ReadClaims(Type);
        if (reason is { Length: > 1000 })
            AddError("reason", "The note must be 1,000 characters or fewer");
        if (HasErrors)
            return Page();

        var result = await issuer.IssueAsync(Id, Type.Type, claims, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), cancellationToken);
        if (result.Problem is { } problem)
        {
            PlaceErrors(problem);
            return Page();
        }
        TempData["Banner"] = $"{Type.Name} was issued to {PersonName}";
        return Redirect($"/staff/{Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var staff = (await issuer.StaffAsync(Id, cancellationToken)).Value;
        if (staff is null)
            return false;
        PersonName = $"{staff.GivenName} {staff.FamilyName}";
        Catalogue = await directory.CatalogueAsync(cancellationToken);
        return true;
    }

    public ClaimFieldView FieldFor(CatalogueField field, string key, bool optionalGroup = false)
    {
        var id = "c-" + key;
        var label = field.Required && !optionalGroup ? field.Label : field.Label + (optionalGroup ? "" : " (optional)");
        var hint = field.Description ?? field.Format;
        var choices = (field.Choices ?? []).Select(c => new Choice(c, Words.Sentence(c))).ToList();
        var form = Request.HasFormContentType ? Request.Form : null;
        var value = form?[id].ToString();
        var date = DateInput.From(form, id);
        var error = field.Kind.StartsWith("date", StringComparison.Ordinal) ? DateErrorFor(id) : ErrorFor(id);
        return new ClaimFieldView(id, id, field.Kind, label, hint, choices, value, date, error, field.MaxLength);
    }

    private JsonObject ReadClaims(CatalogueType type)
    {
        var claims = new JsonObject();
        foreach (var field in type.Claims.Where(f => f.Input))
        {
            if (field.Kind == "list of objects")
            {
                var items = new JsonArray();
                for (var i = 0; i < ListEntries; i++)
                {
                    var entry = new JsonObject();
                    foreach (var item in field.Items ?? [])
                    {
                        if (Read(item, $"{field.Name}-{i}-{item.Name}", required: false) is { } v)
                            entry[item.Name] = v;
                    }
                    if (entry.Count > 0)
                    {
                        foreach (var item in (field.Items ?? []).Where(f => f.Required && entry[f.Name] is null))
                            AddError($"c-{field.Name}-{i}-{item.Name}", $"Enter {item.Label.ToLowerInvariant()} for entry {i + 1}, or leave the whole entry empty");
                        items.Add(entry);
                    }
                }
                if (items.Count > 0)
                    claims[field.Name] = items;
                else if (field.Required)
                    AddError($"c-{field.Name}-0-{(field.Items is { Count: > 0 } fieldItems ? fieldItems[0].Name : "")}", $"Enter at least one entry for {field.Label.ToLowerInvariant()}");
            }
            else if (Read(field, field.Name, field.Required) is { } value)
            {
                claims[field.Name] = value;
            }
        }
        return claims;
    }

    private JsonNode? Read(CatalogueField field, string key, bool required)
    {
        var id = "c-" + key;
        var form = Request.Form;
        var label = field.Label.ToLowerInvariant();
        switch (field.Kind)
        {
            case "date (yyyy-mm-dd)":
                var date = DateInput.From(form, id).Read(this, id, label, required);
                return date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case "boolean":
                var flag = form[id].ToString();
                if (flag is "true" or "false")
                    return flag == "true";
                if (required)
                    AddError(id, $"Select yes if {label}");
                return null;
            case "integer":
                var number = form[id].ToString().Trim();
                if (number.Length == 0)
                {
                    if (required)
                        AddError(id, $"Enter {label}");
                    return null;
                }
                if (!int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                {
                    AddError(id, $"{Words.Sentence(label)} must be a whole number");
                    return null;
                }
                return n;
            case "one of the choices":
                var choice = form[id].ToString();
                if (choice.Length == 0)
                {
                    if (required)
                        AddError(id, $"Select {label}");
                    return null;
                }
                return choice;
            default:
                var text = form[id].ToString().Trim();
                if (text.Length == 0)
                {
                    if (required)
                        AddError(id, $"Enter {label}");
                    return null;
                }
                if (field.MaxLength is { } max && text.Length > max)
                {
                    AddError(id, $"{Words.Sentence(label)} must be {max} characters or fewer");
                    return null;
                }
                return text;
        }
    }

    /// <summary>The API names fields as claims.x or claims.list[0].y; put each message on its field, in words a person can act on.</summary>
    private void PlaceErrors(ApiProblem problem)
    {
        var placed = false;
        foreach (var (name, messages) in problem.Errors)
        {
            if (!name.StartsWith("claims.", StringComparison.Ordinal))
                continue;
            var path = name["claims.".Length..].Replace("[", "-", StringComparison.Ordinal).Replace("].", "-", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
            var field = Type!.Claims.FirstOrDefault(f => f.Name == path.Split('-')[0]);
            var item = path.Contains('-', StringComparison.Ordinal) ? field?.Items?.FirstOrDefault(i => i.Name == path.Split('-')[^1]) : field;
            var isDate = (item ?? field)?.Kind.StartsWith("date", StringComparison.Ordinal) == true;
            var id = "c-" + path + (isDate ? "-day" : "");
            var message = messages.FirstOrDefault() ?? "Check this answer";
            if (message.StartsWith("Use one of", StringComparison.Ordinal))
                message = $"Select {(item ?? field)?.Label.ToLowerInvariant() ?? "an answer"}";
            else if (message is "Required." or "Give a non-empty string.")
                message = $"Enter {(item ?? field)?.Label.ToLowerInvariant() ?? "an answer"}";
            AddError(id, message.TrimEnd('.'));
            placed = true;
        }
        if (!placed)
            AddError(Type!.Claims.FirstOrDefault(f => f.Input) is { } first ? "c-" + first.Name + (first.Kind.StartsWith("date", StringComparison.Ordinal) ? "-day" : "") : "reason",
                problem.Detail is { } d && problem.Status < 500 ? Plain(d) : "The credential could not be issued. Try again in a moment.");
    }
}
