using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Issuer.Status;
using Passport.Notifications;
using Passport.Testing;

namespace Passport.Issuer.Tests.Notifications;

/// <summary>The Issuer with its notifications pointed at a real SMTP server of the class's own, and HR contacts for <see cref="HrOds"/>.</summary>
public class MailingIssuer : IAsyncLifetime
{
    public const string HrOds = "NHR01";
    public const string HrAddress = "hr.team@northgate.test";

    public MailingIssuer()
    {
        foreach (var (key, value) in Smtp.Settings)
            App.Settings[key] = value;
        App.Settings[$"Notifications:Contacts:{HrOds}:hr_issuer:0"] = HrAddress;
    }

    public TestSmtpServer Smtp { get; } = new();

    public IssuerApp App { get; } = new();

    /// <summary>Whether the fixture's own host starts; a restart test runs only hosts it makes itself.</summary>
    protected virtual bool StartHost => true;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        if (!StartHost)
            return;
        // Start the host and wait for its queues: an event published before they are bound would be dropped.
        await App.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await App.DestroyAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>The same, with no host of its own running: the test starts and stops hosts on the database itself.</summary>
public sealed class ColdMailingIssuer : MailingIssuer
{
    protected override bool StartHost => false;
}

internal static class Mailing
{
    /// <summary>Words that would reveal special-category or criminal-record data; no message may contain one.</summary>
    public static readonly string[] SpecialCategoryWords =
        ["DBS", "barred", "criminal", "health", "immunisation", "vaccin", "clearance", "exposure", "disclosure", "enhanced", "occupational", "hepatitis"];

    public static void HasNoSpecialCategoryData(string? text)
    {
        Assert.False(string.IsNullOrEmpty(text));
        foreach (var word in SpecialCategoryWords)
            Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
    }

    public static string NewAddress(string who) => $"{who}.{Guid.NewGuid():N}@staff.test";

    /// <summary>An organisation, one member of staff holding the given addresses, and one active credential of <paramref name="type"/>.</summary>
    public static async Task<(Guid StaffId, Guid CredentialId)> StaffWithCredentialAsync(
        IServiceProvider services, string ods, string? email, string? mobile = null, string type = "dbs", DateTimeOffset? expiresAt = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = DateTimeOffset.UtcNow;
        if (await db.Organisations.FindAsync(ods) is null)
            db.Organisations.Add(new Organisation { OdsCode = ods, Name = $"Northgate Trust {ods}", CreatedAt = now });
        var staff = new StaffMember
        {
            OdsCode = ods, GivenName = "Amara", FamilyName = "Okafor", DateOfBirth = new DateOnly(1990, 4, 1),
            AssignmentNumber = Guid.NewGuid().ToString("N")[..12], Email = email, Mobile = mobile, CreatedAt = now,
        };
        db.Staff.Add(staff);
        var slot = (await scope.ServiceProvider.GetRequiredService<StatusLists>().AllocateAsync(ods, 1, CancellationToken.None))[0];
        var credential = new IssuedCredential
        {
            OdsCode = ods, StaffId = staff.Id, Type = type, Vct = $"https://passport.example/vct/{type}",
            Claims = "{\"level\":\"enhanced\",\"barred_lists\":[\"adults\",\"children\"]}", StatusListId = slot.ListId, StatusIndex = slot.Index,
            IssuedAt = now, ExpiresAt = expiresAt ?? now.AddYears(1), KeyId = "seed",
        };
        db.Credentials.Add(credential);
        await db.SaveChangesAsync();
        return (staff.Id, credential.Id);
    }

    /// <summary>The one row, or a failure that lists every row: which message was queued twice, and from what.</summary>
    public static Notification OnlyRow(IReadOnlyList<Notification> rows)
    {
        Assert.True(rows.Count == 1, $"Expected one notification, found {rows.Count}: " +
            string.Join("; ", rows.Select(r => $"{r.TemplateKey} to {r.Recipient} from source {r.SourceId} at {r.CreatedAt:O}, {r.State}, {r.Attempts} attempts")));
        return rows[0];
    }

    public static async Task<List<Notification>> RowsAsync(IServiceProvider services, string ods)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        return [.. db.Set<Notification>().Where(n => n.OdsCode == ods).OrderBy(n => n.Id)];
    }

    /// <summary>Waits for <paramref name="condition"/> over the database, or fails naming <paramref name="what"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
