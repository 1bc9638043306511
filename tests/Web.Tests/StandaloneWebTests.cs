using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Passport.Web.Api;

namespace Passport.Web.Tests;

/// <summary>
/// The web front end run alone (<c>src/Web/Program.cs</c>, the <c>deploy/web.Dockerfile</c> image) in Production, as
/// the deploy/ manifests run it: health endpoints for the probes, a cookie key ring the replicas share, and traces that
/// follow its calls into the APIs.
/// </summary>
public sealed class StandaloneWebTests : IDisposable
{
    private readonly DirectoryInfo _keys = System.IO.Directory.CreateTempSubdirectory("passport-web-keys-");

    public void Dispose() => _keys.Delete(recursive: true);

    [Fact]
    public async Task The_standalone_web_front_end_answers_its_health_endpoints_without_sign_in()
    {
        await using var web = new StandaloneWeb(_keys.FullName, issuerApi: null);
        using var client = web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_replicas_of_the_standalone_web_front_end_read_each_others_cookies_through_the_shared_key_folder()
    {
        await using var first = new StandaloneWeb(_keys.FullName, issuerApi: null);
        await using var second = new StandaloneWeb(_keys.FullName, issuerApi: null);
        const string purpose = "Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware";

        var cookie = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Protect("a signed-in person");
        var read = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Unprotect(cookie);

        Assert.Equal("a signed-in person", read);
        Assert.NotEmpty(_keys.GetFiles("key-*.xml"));
    }

    [Fact]
    public async Task A_call_the_web_front_end_makes_to_an_API_is_a_traced_span_of_the_page_that_made_it_and_the_API_joins_it()
    {
        using var api = new CapturingApi();
        var exported = new ExportedSpans();
        await using var web = new StandaloneWeb(_keys.FullName, api.Address, exported);
        _ = web.Services; // starts the host, and with it the tracer provider
        using var page = new Activity("GET /staff") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.SetIdFormat(ActivityIdFormat.W3C).Start();

        using (var scope = web.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IssuerApi>().OrganisationsAsync(CancellationToken.None);
        page.Stop();

        var traceparent = (await api.Request).Headers["traceparent"];
        Assert.NotNull(traceparent);
        var parts = traceparent.Split('-');
        Assert.Equal(page.TraceId.ToHexString(), parts[1]);
        // The span the API's own spans hang from is one the web's tracer recorded: an outgoing call, child of the page.
        var call = Assert.Single(exported.Spans, a => a.SpanId.ToHexString() == parts[2]);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(page.SpanId, call.ParentSpanId);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public async Task The_web_front_end_asks_the_UserInfo_endpoint_unless_told_not_to_as_Entra_ID_needs(string? setting, bool asks)
    {
        await using var web = new StandaloneWeb(_keys.FullName, issuerApi: null, settings: new() { ["Web:Oidc:GetClaimsFromUserInfoEndpoint"] = setting });

        var oidc = web.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(WebAuth.OidcScheme);

        Assert.Equal(asks, oidc.GetClaimsFromUserInfoEndpoint);
    }

    /// <summary>Every span the web's tracer provider ends, as an exporter would receive it.</summary>
    private sealed class ExportedSpans : BaseProcessor<Activity>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<Activity> _spans = new();

        public IReadOnlyCollection<Activity> Spans => _spans;

        public override void OnEnd(Activity data) => _spans.Enqueue(data);
    }

    private sealed class StandaloneWeb(string keys, Uri? issuerApi, ExportedSpans? spans = null, Dictionary<string, string?>? settings = null) : WebApplicationFactory<WebOptions>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Adds to the tracer provider the app builds, if it builds one; it does not create one.
            if (spans is not null)
                builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(spans)));
            builder.UseEnvironment("Production");
            builder.UseSetting("Web:Oidc:Authority", "https://login.example.invalid/tenant/v2.0");
            builder.UseSetting("Web:Oidc:ClientId", "passport-web");
            builder.UseSetting("Web:DataProtectionKeysPath", keys);
            if (issuerApi is not null)
                builder.UseSetting("Web:IssuerApiBaseUrl", issuerApi.ToString());
            foreach (var (key, value) in settings ?? [])
            {
                if (value is not null)
                    builder.UseSetting(key, value);
            }
        }
    }

    /// <summary>An API that answers <c>[]</c> to one request and keeps that request's headers.</summary>
    private sealed class CapturingApi : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly TaskCompletionSource<HttpListenerRequest> _request = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CapturingApi()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Address = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Address.ToString());
            _listener.Start();
            _ = AnswerAsync();
        }

        public Uri Address { get; }

        public Task<HttpListenerRequest> Request => _request.Task.WaitAsync(TimeSpan.FromSeconds(30));

        private async Task AnswerAsync()
        {
            var context = await _listener.GetContextAsync();
            _request.TrySetResult(context.Request);
            var body = Encoding.UTF8.GetBytes("[]");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }

        public void Dispose() => _listener.Close();
    }
}
