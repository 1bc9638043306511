namespace Passport.Web.Tests;

/// <summary>
/// The browser tests: one Chromium for all of them. xunit runs the classes of one collection one after another, which
/// also keeps a 2-core machine from running several browsers at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<Browser>
{
    public const string Name = "Browser";
}
