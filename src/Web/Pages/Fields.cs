namespace Passport.Web.Pages;

/// <summary>The models of the NHS.UK form component partials.</summary>
public sealed record InputField(string Id, string Name, string Label, string? Value, string? Error, string? Hint = null, string Type = "text",
    string? Width = null, string? Autocomplete = null, bool LabelIsHeading = false, string? InputMode = null);

public sealed record TextareaField(string Id, string Name, string Label, string? Value, string? Error, string? Hint = null, int Rows = 4);

public sealed record DateField(string Id, string Name, string Legend, DateInput Value, string? Error, string? Hint = null);

public sealed record Choice(string Value, string Text, string? Hint = null);

public sealed record ChoiceField(string Id, string Name, string Legend, IReadOnlyList<Choice> Choices, string? Value, string? Error, string? Hint = null,
    bool Inline = false, bool LegendIsHeading = false);

public sealed record SelectField(string Id, string Name, string Label, IReadOnlyList<Choice> Choices, string? Value, string? Error, string? Hint = null);

/// <summary>One claim of a catalogue type as a form field: its id, form name, words, current value and error.</summary>
public sealed record ClaimFieldView(string Id, string Name, string Kind, string Label, string? Hint, IReadOnlyList<Choice> Choices, string? Value,
    DateInput DateValue, string? Error, int? MaxLength);

/// <summary>An "Important" notification banner: a heading and a line per thing that needs attention, each with its link.</summary>
public sealed record BannerView(string Heading, IReadOnlyList<BannerLine> Lines);

public sealed record BannerLine(string LinkText, string Href, string After);
