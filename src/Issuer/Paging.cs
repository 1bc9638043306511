using System.ComponentModel.DataAnnotations;

namespace Passport.Issuer;

/// <summary>Page number and size from the query string, checked by the attributes below on each handler's parameters.</summary>
internal static class Paging
{
    public const int MaxPageSize = 200;

    public static (int Page, int Size) Read(int? page, int? pageSize) => (page ?? 1, pageSize ?? 50);
}

/// <summary>A page number: from 1.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
internal sealed class PageNumberAttribute() : RangeAttribute(1, int.MaxValue)
{
    public override string FormatErrorMessage(string name) => "Pages are numbered from 1.";
}

/// <summary>A page size: from 1 to <see cref="Paging.MaxPageSize"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
internal sealed class PageSizeAttribute() : RangeAttribute(1, Paging.MaxPageSize)
{
    public override string FormatErrorMessage(string name) => $"Give a page size from 1 to {Maximum}.";
}

public sealed record PageResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
