using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Issuer.Data;
using Passport.Verifier.Data;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Passport.Web.Tests;

[Collection(SiteTests.Name)]
public sealed class SiteHarnessTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task The_API_accepts_an_access_token_got_through_the_identity_providers_code_flow()
    {
        using var hr = await site.ApiAsync(TestUser.HrAtRhq);

        using var response = await hr.GetAsync(new Uri("api/staff", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_API_refuses_a_token_from_the_same_provider_meant_for_another_API()
    {
        var (accessToken, _) = await site.Provider.SignInAsync(TestUser.HrAtRhq, $"openid {IdentityProvider.OtherApiScope}");
        Assert.Equal([IdentityProvider.OtherApiScope], new JsonWebToken(accessToken).Audiences);
        using var client = new HttpClient { BaseAddress = site.ServiceUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", accessToken);

        using var response = await client.GetAsync(new Uri("api/staff", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_host_runs_on_PostgreSQL_and_RabbitMQ_and_says_it_is_ready()
    {
        using var client = new HttpClient { BaseAddress = site.ServiceUrl };

        var ready = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(new Uri("health/ready", UriKind.Relative));

        Assert.Equal("Healthy", ready!["status"]!.GetValue<string>());
        await using var scope = site.Services.CreateAsyncScope();
        Assert.True(scope.ServiceProvider.GetRequiredService<IssuerDbContext>().Database.IsNpgsql());
        Assert.True(scope.ServiceProvider.GetRequiredService<VerifierDbContext>().Database.IsNpgsql());
        Assert.Equal("rabbitmq", site.Services.GetRequiredService<IBusControl>().Address.Scheme);
    }

    [Fact]
    public async Task The_browser_opens_a_page_of_the_site_and_axe_reports_on_it()
    {
        var (context, page) = await browser.NewPageAsync(site.Url);
        await using var _ = context;

        var response = await page.GotoAsync("reference");
        var result = await Accessibility.RunAxeAsync(page);

        Assert.Equal(200, response!.Status);
        Assert.StartsWith(site.Url.ToString(), page.Url, StringComparison.Ordinal);
        // A third-party page: what matters here is that axe ran in it and reported rules it checked.
        Assert.NotEmpty(result.Passes.Concat(result.Violations).Concat(result.Incomplete));
        Assert.StartsWith(site.Url.ToString() + "reference", result.Url, StringComparison.Ordinal);
    }
}
