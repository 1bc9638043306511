using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Passport.Issuer;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Import;
using Passport.Issuer.Keys;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Messaging;
using Passport.ServiceDefaults;
using static Passport.Benchmarks.BenchmarkRun;

namespace Passport.Benchmarks;

/// <summary>
/// Sustained bulk issuance against PostgreSQL: <c>dotnet run -c Release --project tests/Benchmarks -- bulk-issuance --rows 100000</c>.
/// Not a BenchmarkDotNet benchmark: one long run of real work, measured as credentials per second overall and per window,
/// through <see cref="CredentialIssuance.IssueAsync"/> with the local signing key and an outbox row and audit entry per credential.
/// It creates its own database on the server named by <c>PASSPORT_TEST_POSTGRES</c> and drops it afterwards.
/// </summary>
internal static class BulkIssuanceRun
{
    private const string Ods = "BENCH1";
    private const int CredentialsPerStaff = 10;

    private static readonly string[] Subjects =
        ["fire_safety", "information_governance", "infection_prevention_control", "moving_handling", "safeguarding_adults", "safeguarding_children", "resuscitation"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = IntOption(args, "--rows", 100_000);
        var batch = IntOption(args, "--batch", 1_000);
        var window = IntOption(args, "--window", 10_000);
        var warmup = IntOption(args, "--warmup", 2_000);
        var keep = args.Contains("--keep");
        var viaImport = args.Contains("--import");
        // The service's own default unless told otherwise: 100,000 credentials fill one list past half and open a second.
        var statusListSize = IntOption(args, "--status-list-size", new IssuerOptions().StatusListSize);
        var server = Environment.GetEnvironmentVariable("PASSPORT_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            await Console.Error.WriteLineAsync("bulk-issuance needs PostgreSQL: run `bash tests/infra/infra.sh start` and `eval \"$(bash tests/infra/infra.sh env)\"` first.");
            return 2;
        }

        var database = $"passport_bench_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            await using var app = BuildIssuer(connection, statusListSize);
            await app.Services.MigrateIssuerAsync();
            var staffIds = await SeedAsync(app.Services, (rows + warmup + CredentialsPerStaff - 1) / CredentialsPerStaff);
            var items = Items(staffIds, rows + warmup);

            Report("Machine", Machine());
            Report("Run", $"{rows:N0} credentials in calls of {batch:N0} items (CredentialIssuance commits every {CredentialIssuance.BatchSize}), after {warmup:N0} warm-up credentials; windows of {window:N0}; status lists of {statusListSize:N0} entries");

            await IssueAsync(app.Services, items, 0, warmup, batch, window: int.MaxValue, quiet: true);

            if (viaImport)
                return await ImportAsync(app.Services, rows, batch, warmup);
            var mintMicros = await MintOnlyAsync(app.Services, staffIds[0], 2_000);
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var loadBefore = LoadAverage();
            var elapsed = await IssueAsync(app.Services, items, warmup, rows, batch, window, quiet: false);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

            var rate = rows / elapsed.TotalSeconds;
            Report("Total", $"{rows:N0} credentials in {elapsed.TotalSeconds:F1} s = {rate:N0} credentials/s (target 3,000/s: {(rate >= 3000 ? "met" : "NOT met")})");
            Report("Process CPU", $"{cpu.TotalSeconds:F1} s over {elapsed.TotalSeconds:F1} s wall = {cpu.TotalSeconds / elapsed.TotalSeconds:F2} cores ({cpu.TotalMicroseconds / rows:F0} µs CPU per credential in the .NET process; PostgreSQL runs on the same 2 cores)");
            Report("Minting alone", $"{mintMicros:F1} µs CPU per credential (CredentialMinter.MintAsync: SD-JWT VC build and ES256 sign, measured alone)");
            Report("Memory", $"{allocated / (double)rows / 1024:F1} KiB allocated per credential ({allocated / 1024.0 / 1024 / 1024:F2} GiB in all); GCs gen0/1/2: {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3}; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MiB");
            Report("Load average", $"before {loadBefore}, after {LoadAverage()} (1, 5, 15 min)");

            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            var credentials = await db.Credentials.CountAsync();
            var outbox = await db.Set<OutboxMessage>().CountAsync();
            var audit = await db.Audit.CountAsync();
            var distinct = await db.Credentials.Select(c => c.SourceReference).Distinct().CountAsync();
            Report("Check", $"credentials {credentials:N0}, distinct source references {distinct:N0}, outbox rows {outbox:N0}, audit entries {audit:N0} (expected {rows + warmup:N0} each)");
            return credentials == rows + warmup && outbox == credentials && audit == credentials && distinct == credentials ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (!keep)
                await DropAsync(server, database);
        }
    }

    private static WebApplication BuildIssuer(string connection, int statusListSize)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Issuer:PublicBaseUrl"] = "https://issuer.bench.passport.nhs.uk/",
            ["Issuer:StatusListSize"] = statusListSize.ToString(CultureInfo.InvariantCulture),
            ["Issuer:Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["Issuer:Database:ConnectionString"] = connection,
            ["Issuer:Keys:Provider"] = nameof(KeyProvider.Local),
            ["Issuer:Keys:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults();
        builder.AddIssuer();
        // The host is built but never started: no outbox dispatcher competes for the machine, so the outbox rows stay unsent.
        return builder.Build();
    }

    private static async Task<List<Guid>> SeedAsync(IServiceProvider services, int staffCount)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var now = DateTimeOffset.UtcNow;
        db.Organisations.Add(new Organisation { OdsCode = Ods, Name = "Benchmark NHS Foundation Trust", CreatedAt = now });
        var ids = new List<Guid>(staffCount);
        for (var i = 0; i < staffCount; i++)
        {
            var staff = new StaffMember
            {
                OdsCode = Ods, GivenName = "Given" + i, FamilyName = "Family" + i, DateOfBirth = new DateOnly(1980, 1, 1).AddDays(i % 7000),
                AssignmentNumber = (10_000_000 + i).ToString(CultureInfo.InvariantCulture) + "-1", JobTitle = "Staff Nurse",
                StaffGroup = "Nursing and Midwifery Registered", CreatedAt = now,
            };
            db.Staff.Add(staff);
            ids.Add(staff.Id);
        }
        await db.SaveChangesAsync();
        return ids;
    }

    /// <summary>Per member of staff: seven CSTF subjects, a DBS check, a right-to-work check and a references check, as an ESR and LMS export would give.</summary>
    private static List<IssueItem> Items(List<Guid> staff, int count)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var items = new List<IssueItem>(count);
        for (var i = 0; i < count; i++)
        {
            var member = staff[i / CredentialsPerStaff];
            var slot = i % CredentialsPerStaff;
            var (type, claims) = slot switch
            {
                < 7 => ("training", new JsonObject
                {
                    ["subject"] = Subjects[slot], ["level"] = "2", ["completed_on"] = Day(-(i % 300)), ["provider"] = "e-Learning for Healthcare",
                }),
                7 => ("dbs", new JsonObject
                {
                    ["level"] = "enhanced", ["barred_list_adults"] = true, ["barred_list_children"] = true,
                    ["certificate_number"] = (100_000_000_000L + i).ToString(CultureInfo.InvariantCulture), ["issued_on"] = Day(-(i % 500)),
                }),
                8 => ("right-to-work", new JsonObject
                {
                    ["right_to_work_status"] = "unlimited", ["basis"] = "british_passport", ["checked_on"] = Day(-(i % 500)),
                }),
                _ => ("references", new JsonObject
                {
                    ["employment_history_checked"] = true, ["references_received"] = 2, ["years_covered"] = 3, ["checked_on"] = Day(-(i % 500)),
                }),
            };
            items.Add(new IssueItem
            {
                StaffId = member, Type = type, SourceReference = $"ESR-{type}-{i}", Claims = claims,
                Provenance = new JsonObject { ["origin_system"] = "ESR" }, Reason = "bulk import",
            });
        }
        return items;
    }

    private static async Task<TimeSpan> IssueAsync(IServiceProvider services, List<IssueItem> items, int from, int count, int batch, int window, bool quiet)
    {
        var total = Stopwatch.StartNew();
        var windowClock = Stopwatch.StartNew();
        var windowStart = 0;
        var rates = new List<double>();
        for (var done = 0; done < count; done += batch)
        {
            var take = Math.Min(batch, count - done);
            // A scope per call, as the import worker does: the change tracker never holds more than one call's entities.
            await using (var scope = services.CreateAsyncScope())
            {
                var issuance = scope.ServiceProvider.GetRequiredService<CredentialIssuance>();
                var outcomes = await issuance.IssueAsync(Ods, items.GetRange(from + done, take), "bench", CancellationToken.None);
                if (outcomes.FirstOrDefault(o => o.Kind != IssueOutcomeKind.Issued) is { } failed)
                    throw new InvalidOperationException($"Item {from + done + failed.Index} was not issued: {failed.Kind} {failed.Code} {failed.Detail}");
            }
            var issued = done + take;
            if (!quiet && (issued - windowStart >= window || issued == count))
            {
                var rate = (issued - windowStart) / windowClock.Elapsed.TotalSeconds;
                rates.Add(rate);
                Report($"  {windowStart + 1,7:N0}-{issued,7:N0}", $"{rate,7:N0} credentials/s");
                windowStart = issued;
                windowClock.Restart();
            }
        }
        if (!quiet)
            Report("Windows", $"slowest {rates.Min():N0}/s, fastest {rates.Max():N0}/s");
        return total.Elapsed;
    }

    /// <summary>
    /// The same credentials as one CSV import run by <see cref="ImportWorker"/>: parsing, row checks, staff lookups, issuance,
    /// and the job's progress committed with every batch.
    /// </summary>
    private static async Task<int> ImportAsync(IServiceProvider services, int rows, int batch, int warmup)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var csv = new StringBuilder("record_type,source_ref,assignment_number,subject,level,completed_on,provider\r\n");
        for (var i = warmup; i < warmup + rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"training,LMS-{i},{10_000_000 + i / CredentialsPerStaff}-1,{Subjects[i % Subjects.Length]},2,{today.AddDays(-(i % 300)):yyyy-MM-dd},e-Learning for Healthcare\r\n");
        }
        var job = new ImportJob
        {
            OdsCode = Ods, FileName = "bench.csv", Content = csv.ToString(), CreatedBy = "bench", CreatedAt = DateTimeOffset.UtcNow, TotalRows = rows,
        };
        Report("Import", $"{rows:N0} training rows, {job.Content.Length / 1024.0 / 1024:F1} MiB of CSV, batches of {batch:N0} rows");
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync();
        }
        var options = Options.Create(new ImportOptions { BatchSize = batch, PollInterval = TimeSpan.FromMilliseconds(50) });
        using var worker = new ImportWorker(services.GetRequiredService<IServiceScopeFactory>(), options, TimeProvider.System, NullLogger<ImportWorker>.Instance);
        var clock = Stopwatch.StartNew();
        await worker.StartAsync(CancellationToken.None);
        var lastProcessed = 0;
        var lastTime = TimeSpan.Zero;
        var rates = new List<double>();
        while (true)
        {
            await Task.Delay(1000);
            await using var scope = services.CreateAsyncScope();
            var state = await scope.ServiceProvider.GetRequiredService<IssuerDbContext>().ImportJobs.AsNoTracking().Where(j => j.Id == job.Id)
                .Select(j => new { j.State, j.ProcessedRows, j.Issued, j.Failed, j.FailureReason }).SingleAsync();
            if (state.ProcessedRows - lastProcessed >= 10_000 || state.State != ImportState.Running)
            {
                var rate = (state.ProcessedRows - lastProcessed) / (clock.Elapsed - lastTime).TotalSeconds;
                if (state.ProcessedRows > lastProcessed)
                {
                    // The last stretch is shorter than a window and timed to the next one-second poll: shown, not counted.
                    if (state.ProcessedRows - lastProcessed >= 10_000)
                        rates.Add(rate);
                    Report($"  {lastProcessed + 1,7:N0}-{state.ProcessedRows,7:N0}", $"{rate,7:N0} rows/s");
                }
                (lastProcessed, lastTime) = (state.ProcessedRows, clock.Elapsed);
            }
            if (state.State is ImportState.Completed or ImportState.Failed)
            {
                var elapsed = clock.Elapsed;
                await worker.StopAsync(CancellationToken.None);
                Report("Import total", $"{state.State}: {state.Issued:N0} issued, {state.Failed:N0} failed in {elapsed.TotalSeconds:F1} s = {state.Issued / elapsed.TotalSeconds:N0} credentials/s (polled every second; slowest full window {rates.Min():N0}/s) {state.FailureReason}");
                return state.State == ImportState.Completed && state.Issued == rows ? 0 : 1;
            }
        }
    }

    private static async Task<double> MintOnlyAsync(IServiceProvider services, Guid staffId, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var minter = scope.ServiceProvider.GetRequiredService<CredentialMinter>();
        var key = await scope.ServiceProvider.GetRequiredService<SigningKeys>().GetActiveAsync(Ods, CancellationToken.None);
        var credential = await scope.ServiceProvider.GetRequiredService<IssuerDbContext>().Credentials.AsNoTracking()
            .FirstAsync(c => c.StaffId == staffId && c.Type == "training");
        for (var i = 0; i < 200; i++)
            await minter.MintAsync(credential, key, holderKey: null, CancellationToken.None);
        // CPU time rather than wall time: on a shared machine it still measures the work, not the wait for a core.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
            await minter.MintAsync(credential, key, holderKey: null, CancellationToken.None);
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
    }
}
