using Microsoft.Extensions.Caching.Memory;
using Passport.Web.Api;

namespace Passport.Web;

/// <summary>
/// Names for what the APIs identify by code: organisations (by ODS code or issuer identifier) and credential types (by type
/// or vct). Read through the person's own API client and kept for a few minutes: names change rarely and are not secret.
/// </summary>
public sealed class Directory(IssuerApi issuer, IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<Organisation>> OrganisationsAsync(CancellationToken ct) =>
        await cache.GetOrCreateAsync("web:organisations", async entry =>
        {
            var result = await issuer.OrganisationsAsync(ct);
            entry.AbsoluteExpirationRelativeToNow = result.Ok ? Lifetime : TimeSpan.FromSeconds(5);
            return (IReadOnlyList<Organisation>)(result.Value ?? []);
        }) ?? [];

    public async Task<IReadOnlyList<CatalogueType>> CatalogueAsync(CancellationToken ct) =>
        await cache.GetOrCreateAsync("web:catalogue", async entry =>
        {
            var result = await issuer.CatalogueAsync(ct);
            entry.AbsoluteExpirationRelativeToNow = result.Ok ? Lifetime : TimeSpan.FromSeconds(5);
            return (IReadOnlyList<CatalogueType>)(result.Value ?? []);
        }) ?? [];

    /// <summary>The organisation's name; an organisation that is not registered here is "an organisation not known here", never its code alone.</summary>
    public async Task<string> OrganisationNameAsync(string? ods, CancellationToken ct) =>
        (await OrganisationsAsync(ct)).FirstOrDefault(o => string.Equals(o.OdsCode, ods, StringComparison.OrdinalIgnoreCase))?.Name
            ?? "an organisation not registered with this service";

    public async Task<Organisation?> OrganisationByIssuerAsync(string? issuerId, CancellationToken ct) =>
        (await OrganisationsAsync(ct)).FirstOrDefault(o => string.Equals(o.IssuerId, issuerId?.TrimEnd('/'), StringComparison.Ordinal));

    public async Task<string> TypeNameAsync(string type, CancellationToken ct) =>
        (await CatalogueAsync(ct)).FirstOrDefault(t => t.Type == type)?.Name ?? Words.Sentence(type);

    public async Task<string> TypeNameByVctAsync(string vct, CancellationToken ct) =>
        (await CatalogueAsync(ct)).FirstOrDefault(t => t.Vct == vct)?.Name ?? Words.Sentence(vct.TrimEnd('/').Split('/')[^1]);

    /// <summary>After a rename: the header and every page show the new name at once.</summary>
    public void Forget() => cache.Remove("web:organisations");
}
