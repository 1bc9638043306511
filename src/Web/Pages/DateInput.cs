using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Passport.Web.Pages;

/// <summary>
/// The three boxes of an NHS.UK date input as one bindable value (<c>Start.Day</c>, <c>Start.Month</c>, <c>Start.Year</c>),
/// with the service manual's error messages: "Enter ...", "... must include a month", "... must be a real date".
/// </summary>
public sealed class DateInput
{
    public string? Day { get; set; }
    public string? Month { get; set; }
    public string? Year { get; set; }

    /// <summary>After <see cref="Read"/> fails: the box at fault ("day", "month" or "year"), or "all" when the date as a whole is wrong.</summary>
    public string? Faulty { get; private set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Day) && string.IsNullOrWhiteSpace(Month) && string.IsNullOrWhiteSpace(Year);

    public static DateInput Of(DateOnly? date) => date is { } d
        ? new DateInput { Day = d.Day.ToString(CultureInfo.InvariantCulture), Month = d.Month.ToString(CultureInfo.InvariantCulture), Year = d.Year.ToString(CultureInfo.InvariantCulture) }
        : new DateInput();

    /// <summary>The boxes posted under <paramref name="name"/> (as the <c>_DateInput</c> partial names them) in a form read by hand.</summary>
    public static DateInput From(IFormCollection? form, string name) => new()
    {
        Day = form?[name + ".Day"].ToString(), Month = form?[name + ".Month"].ToString(), Year = form?[name + ".Year"].ToString(),
    };

    /// <summary>The date, or null after putting the message on the box at fault (<c>{field}-day</c>, <c>-month</c> or <c>-year</c>) of <paramref name="page"/>.</summary>
    public DateOnly? Read(FormPage page, string field, string label, bool required = true)
    {
        var (box, message) = Problem(label, required);
        if (box is null)
            return Value;
        if (box == "none")
            return null;
        Faulty = box;
        if (message is not null)
            page.AddError($"{field}-{(box == "all" ? "day" : box)}", message);
        return null;
    }

    private DateOnly? Value => int.TryParse(Day?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var d)
        && int.TryParse(Month?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
        && int.TryParse(Year?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
        && y is >= 1900 and <= 2200 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m)
            ? new DateOnly(y, m, d)
            : null;

    private (string? Box, string? Message) Problem(string label, bool required)
    {
        var what = label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];
        if (IsEmpty)
            return required ? ("all", $"Enter {label}") : ("none", null);
        if (string.IsNullOrWhiteSpace(Day))
            return ("day", $"{what} must include a day");
        if (string.IsNullOrWhiteSpace(Month))
            return ("month", $"{what} must include a month");
        if (string.IsNullOrWhiteSpace(Year))
            return ("year", $"{what} must include a year");
        if (Year.Trim().Length != 4)
            return ("year", $"{what} must include a year with 4 numbers, for example 2027");
        return Value is null ? ("all", $"{what} must be a real date") : (null, null);
    }
}
