using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Passport.ServiceDefaults;

namespace Passport.Infrastructure.Tests;

/// <summary>
/// In Development too (the embedded host runs there), a failure is a problem without internals: not the developer exception
/// page, which echoes the request's headers (a bearer token) and the exception's text.
/// </summary>
public sealed class DevelopmentProblemTests : IAsyncLifetime
{
    private const string Token = "eyJhbGciOiJFUzI1NiJ9.secret-bearer-token.c2ln";
    private WebApplication _app = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization();
        _app = builder.Build();
        _app.UseServiceDefaults();
        _app.MapGet("/bug", () => { throw new InvalidOperationException("secret internals: Host=db;Password=hunter2"); });
        _app.MapGet("/twice", () => "one");
        _app.MapGet("/twice", () => "two");
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/bug", "application/json")]
    [InlineData("/bug", "text/html")]
    [InlineData("/twice", "application/json")]
    [InlineData("/twice", "text/html")]
    public async Task A_failure_in_development_is_a_500_problem_that_echoes_no_header_and_no_exception(string path, string accept)
    {
        using var client = new HttpClient { BaseAddress = _address };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        request.Headers.Accept.ParseAdd(accept);
        request.Headers.Add("X-Secret", "hunter3");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("internal_error", (string?)JsonNode.Parse(body)!["code"]);
        foreach (var secret in new[] { "secret-bearer-token", "hunter2", "hunter3", "Exception", "Authorization", "/twice" })
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
    }
}
