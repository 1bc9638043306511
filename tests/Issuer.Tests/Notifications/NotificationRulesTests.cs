using System.Text;
using System.Text.Json;
using Passport.Notifications;

namespace Passport.Issuer.Tests.Notifications;

public sealed class NotificationRulesTests
{
    private static Notification NewRow(DateTimeOffset now) => new()
    {
        OdsCode = "RHQ", SourceId = Guid.NewGuid(), Channel = NotificationChannels.Email, Recipient = "a@b.test", TemplateKey = "t",
        Subject = "s", Body = "b", CreatedAt = now, NextAttemptAt = now,
    };

    [Fact]
    public void A_failed_send_backs_off_doubling_to_the_maximum_and_is_given_up_after_the_last_attempt()
    {
        var now = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        var row = NewRow(now);
        var waits = new List<TimeSpan>();

        for (var i = 0; i < 4; i++)
        {
            row.MarkFailed("SmtpCommandException", now, maxAttempts: 5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));
            waits.Add(row.NextAttemptAt - now);
        }
        Assert.Equal(NotificationStates.Pending, row.State);
        row.MarkFailed("SmtpCommandException", now, maxAttempts: 5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)], waits);
        Assert.Equal((NotificationStates.Failed, 5, "SmtpCommandException"), (row.State, row.Attempts, row.LastError));
        Assert.Null(row.SentAt);
    }

    [Fact]
    public void Unusable_and_repeated_addresses_get_no_message_and_sms_only_when_it_is_configured()
    {
        var addresses = new[] { "hr@northgate.test", "HR@northgate.test", "not an address", "", null, "+447700900123" };

        Assert.Equal(["hr@northgate.test"], Pick(addresses, smsEnabled: false));
        Assert.Equal(["hr@northgate.test", "+447700900123"], Pick(addresses, smsEnabled: true));
    }

    [Theory]
    [InlineData("07700 900123", "+447700900123")]
    [InlineData("+44 7700 900123", "+447700900123")]
    [InlineData("07700-900-123", "+447700900123")]
    [InlineData("12345", null)]
    [InlineData("0770090012", null)]
    [InlineData("+44abc", null)]
    public void A_mobile_number_is_read_as_hr_types_it_or_refused(string typed, string? expected) =>
        Assert.Equal(expected, NotificationAddresses.NormaliseMobile(typed));

    [Fact]
    public void The_notify_token_names_the_service_and_is_signed_with_the_secret_half_of_the_key()
    {
        var service = "26785a09-ab16-4eb0-8407-a37497a57506";
        var secret = "3d844edf-8d35-48ac-975b-e847b4f122b0";
        var at = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

        var token = NotifySmsChannel.Token($"passport_live-{service}-{secret}", at);

        var parts = token.Split('.');
        var payload = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
        Assert.Equal((service, at.ToUnixTimeSeconds()), (payload.GetProperty("iss").GetString(), payload.GetProperty("iat").GetInt64()));
        Assert.Equal("HS256", JsonDocument.Parse(Base64Url(parts[0])).RootElement.GetProperty("alg").GetString());
        var expected = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        Assert.Equal(expected, Base64Url(parts[2]));
    }

    private static List<string> Pick(IEnumerable<string?> addresses, bool smsEnabled) => [.. NotificationWriter.Route(addresses, smsEnabled).Select(r => r.Address)];

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
