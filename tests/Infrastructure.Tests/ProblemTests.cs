using System.Net;
using System.Net.Http.Json;
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

/// <summary>What a client sees when a handler throws: a problem with a code, never internals.</summary>
public sealed class ProblemTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization();
        _app = builder.Build();
        _app.UseServiceDefaults();
        _app.MapPost("/busy", () => { throw new ServiceBusyException("issuance_busy", "Issuances are racing; nothing was issued. Try again in a moment."); });
        _app.MapPost("/bug", () => { throw new InvalidOperationException("secret internals: Host=db;Password=hunter2"); });
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<HttpResponseMessage> PostAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = _address };
        var response = await client.PostAsync(new Uri(path, UriKind.Relative), null);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Fact]
    public async Task Contention_that_outlasted_its_retries_is_a_503_to_retry_with_its_code()
    {
        var response = await PostAsync("/busy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("issuance_busy", (string?)problem["code"]);
        Assert.Equal("Issuances are racing; nothing was issued. Try again in a moment.", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Anything_else_is_a_500_problem_without_internals()
    {
        var response = await PostAsync("/bug");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("internal_error", (string?)JsonNode.Parse(body)!["code"]);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
    }
}
