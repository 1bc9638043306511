using System.ComponentModel.DataAnnotations;

namespace Passport.ServiceDefaults;

/// <summary>A page number in a query string: from 1.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class PageNumberAttribute() : RangeAttribute(1, int.MaxValue)
{
    public override string FormatErrorMessage(string name) => "Pages are numbered from 1.";
}

/// <summary>A page size in a query string: from 1 to <see cref="Max"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class PageSizeAttribute() : RangeAttribute(1, Max)
{
    public const int Max = 200;

    public override string FormatErrorMessage(string name) => $"Give a page size from 1 to {Max}.";
}

/// <summary>An ODS code: 3 to 10 capital letters and digits. Give the sentence, which says what the code names.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class OdsCodeAttribute() : RegularExpressionAttribute("^[A-Z0-9]{3,10}$");
