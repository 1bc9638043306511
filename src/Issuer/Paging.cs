namespace Passport.Issuer;

/// <summary>Page number and size from the query string, checked.</summary>
internal static class Paging
{
    public const int MaxPageSize = 200;

    public static bool TryRead(int? page, int? pageSize, out int p, out int size, Dictionary<string, string[]> errors)
    {
        p = page ?? 1;
        size = pageSize ?? 50;
        if (p < 1)
            errors["page"] = ["Pages are numbered from 1."];
        if (size < 1 || size > MaxPageSize)
            errors["pageSize"] = [$"Give a page size from 1 to {MaxPageSize}."];
        return errors.Count == 0;
    }
}

public sealed record PageResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
