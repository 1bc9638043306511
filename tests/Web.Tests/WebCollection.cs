namespace Passport.Web.Tests;

/// <summary>
/// Browser tests that need no site of ours: one Chromium for all of them. xunit runs the classes of one collection one
/// after another, which also keeps a 2-core machine from running several browsers at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<Browser>
{
    public const string Name = "Browser";
}

/// <summary>
/// The page tests: one Chromium and one composed host (<see cref="PassportSite"/>, with its identity provider) for all
/// of them. Put a page test class in it with <c>[Collection(SiteTests.Name)]</c> and take <c>(PassportSite site, Browser browser)</c>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SiteTests : ICollectionFixture<Browser>, ICollectionFixture<PassportSite>
{
    public const string Name = "Site";
}
