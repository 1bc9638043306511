using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Passport.Notifications;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Notifications.Mailing;

namespace Passport.Issuer.Tests.Notifications;

/// <summary>
/// The Issuer with SMS pointed at a stand-in for GOV.UK Notify's API (a real HTTP server in the test) and no SMTP host,
/// so e-mails are only recorded and logged: the embedded default.
/// </summary>
public sealed class TextingIssuer : IAsyncLifetime
{
    public const string ServiceId = "26785a09-ab16-4eb0-8407-a37497a57506";
    public const string TemplateId = "f33517ff-2a88-4f6e-b855-c550268ce08a";
    private WebApplication? notify;

    public TextingIssuer()
    {
        Port = FreePort();
        App.Settings["Notifications:Sms:BaseUrl"] = $"http://127.0.0.1:{Port}/";
        App.Settings["Notifications:Sms:ApiKey"] = $"passport_test-{ServiceId}-3d844edf-8d35-48ac-975b-e847b4f122b0";
        App.Settings["Notifications:Sms:TemplateId"] = TemplateId;
        App.Settings["Notifications:PollInterval"] = "00:00:00.100";
        App.Settings["Notifications:FirstBackoff"] = "00:00:00.200";
        App.Settings["Notifications:MaxBackoff"] = "00:00:01";
    }

    public int Port { get; }

    public IssuerApp App { get; } = new();

    /// <summary>Each request body the stand-in accepted, with its Authorization header.</summary>
    public ConcurrentQueue<(JsonElement Body, string? Authorization)> Accepted { get; } = new();

    private int failNext;

    /// <summary>Answers the next <paramref name="count"/> requests with 500 before accepting again.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref failNext, count);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        notify = builder.Build();
        notify.MapPost("/v2/notifications/sms", async (HttpRequest request) =>
        {
            if (Interlocked.Decrement(ref failNext) >= 0)
                return Results.StatusCode(500);
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            Accepted.Enqueue((body, request.Headers.Authorization.ToString()));
            return Results.Json(new { id = Guid.NewGuid() }, statusCode: 201);
        });
        await notify.StartAsync();
        await App.InitializeAsync();
        await App.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await App.DestroyAsync();
        if (notify is not null)
            await notify.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class SmsMessageTests(TextingIssuer fixture) : IClassFixture<TextingIssuer>
{
    private readonly IssuerApp app = fixture.App;

    [Fact]
    public async Task A_person_with_a_mobile_gets_one_text_through_the_notify_api_after_a_failure_and_the_email_without_smtp_is_only_logged()
    {
        var ods = Seed.NewOds();
        var email = NewAddress("texted");
        var (_, credentialId) = await StaffWithCredentialAsync(app.Services, ods, email, mobile: "+447700900456", type: "occupational-health");
        fixture.FailNext(1);

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync($"/api/credentials/{credentialId}/revoke", new { reason = "no_longer_valid" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await EventuallyAsync(async () => (await RowsAsync(app.Services, ods)).Count == 2 && (await RowsAsync(app.Services, ods)).All(r => r.State != NotificationStates.Pending),
            "both messages to be settled");
        var rows = await RowsAsync(app.Services, ods);
        var sms = rows.Single(r => r.Channel == NotificationChannels.Sms);
        Assert.Equal((NotificationStates.Sent, 2), (sms.State, sms.Attempts));
        Assert.Equal(NotificationStates.Logged, rows.Single(r => r.Channel == NotificationChannels.Email).State);
        var (body, authorization) = Assert.Single(fixture.Accepted, a => a.Body.GetProperty("phone_number").GetString() == "+447700900456");
        Assert.Equal(TextingIssuer.TemplateId, body.GetProperty("template_id").GetString());
        var text = body.GetProperty("personalisation").GetProperty("body").GetString();
        Assert.Contains("has withdrawn a pre-employment check credential", text, StringComparison.Ordinal);
        HasNoSpecialCategoryData(text);
        Assert.StartsWith("Bearer ey", authorization, StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.Single(fixture.Accepted, a => a.Body.GetProperty("phone_number").GetString() == "+447700900456");
    }
}
