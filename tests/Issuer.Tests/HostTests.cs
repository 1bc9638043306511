using System.Net;

namespace Passport.Issuer.Tests;

public sealed class HostTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    [Fact]
    public async Task The_service_is_live_and_ready_when_its_database_and_bus_answer()
    {
        var client = app.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        // Ready is rightly false while the bus is still connecting just after start-up; it must turn true soon after.
        var ready = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 100 && ready != HttpStatusCode.OK; i++)
        {
            if (i > 0)
                await Task.Delay(100);
            ready = (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, ready);
    }

    [Fact]
    public async Task The_OpenAPI_document_and_reference_page_are_served()
    {
        var client = app.Anonymous();

        var doc = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, doc.StatusCode);
        Assert.Contains("\"openapi\"", await doc.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/reference", UriKind.Relative))).StatusCode);
    }
}
