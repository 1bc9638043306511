using Microsoft.Extensions.DependencyInjection;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Issuer.Status;

namespace Passport.Issuer.Tests;

/// <summary>Test data written straight to the database, for tests about what happens after issuance.</summary>
internal static class Seed
{
    private static int _nextOds = Random.Shared.Next(90_000);

    /// <summary>An organisation code no other test of this run has: drawn at random, two tests sharing a database could meet.</summary>
    public static string NewOds() =>
        "T" + (10_000 + ((Interlocked.Increment(ref _nextOds) & int.MaxValue) % 90_000)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<(Guid StaffId, Guid CredentialId)> CredentialAsync(IssuerApp app, string ods, string type = "training")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = DateTimeOffset.UtcNow;
        if (await db.Organisations.FindAsync(ods) is null)
            db.Organisations.Add(new Organisation { OdsCode = ods, Name = $"Test Trust {ods}", CreatedAt = now });
        var staff = new StaffMember
        {
            OdsCode = ods, GivenName = "Amara", FamilyName = "Okafor", DateOfBirth = new DateOnly(1990, 4, 1),
            AssignmentNumber = Guid.NewGuid().ToString("N")[..12], CreatedAt = now,
        };
        db.Staff.Add(staff);
        var slot = (await scope.ServiceProvider.GetRequiredService<StatusLists>().AllocateAsync(ods, 1, CancellationToken.None))[0];
        var credential = new IssuedCredential
        {
            OdsCode = ods, StaffId = staff.Id, Type = type, Vct = $"https://passport.example/vct/{type}",
            Claims = "{\"subject\":\"Fire Safety\",\"level\":1}", StatusListId = slot.ListId, StatusIndex = slot.Index,
            IssuedAt = now, ExpiresAt = now.AddYears(1), KeyId = "seed",
        };
        db.Credentials.Add(credential);
        await db.SaveChangesAsync();
        return (staff.Id, credential.Id);
    }
}
