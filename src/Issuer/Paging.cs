namespace Passport.Issuer;

/// <summary>Page number and size from the query string, checked by <c>[PageNumber]</c> and <c>[PageSize]</c> on the handler's parameters.</summary>
internal static class Paging
{
    public static (int Page, int Size) Read(int? page, int? pageSize) => (page ?? 1, pageSize ?? 50);
}

public sealed record PageResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
