using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
        // Windows of 100,000 over long runs, so that the slowest 100,000 (issue #14, target 3) is read straight off the report.
        var window = IntOption(args, "--window", rows >= 300_000 ? 100_000 : 10_000);
        var warmup = IntOption(args, "--warmup", 2_000);
        var keep = args.Contains("--keep");
        var viaImport = args.Contains("--import");
        using var sql = args.Contains("--sql-profile") ? SqlProfile.Start() : null;
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

            Report("Machine", Machine());
            Report("Run", $"{rows:N0} credentials in calls of {batch:N0} items (CredentialIssuance commits every {CredentialIssuance.BatchSize}), after {warmup:N0} warm-up credentials; windows of {window:N0}; status lists of {statusListSize:N0} entries");

            await IssueAsync(app.Services, staffIds, 0, warmup, batch, window: int.MaxValue, quiet: true);

            if (viaImport)
                return await ImportAsync(app.Services, rows, batch, warmup);
            var mintMicros = await MintOnlyAsync(app.Services, staffIds[0], 2_000);
            var es256Micros = RawSignMicros(2_000);
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var postgres = await PostgresCpu.StartAsync(server, database);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var loadBefore = LoadAverage();
            using var memory = new MemorySampler();
            var (elapsed, rates) = await IssueAsync(app.Services, staffIds, warmup, rows, batch, window, quiet: false, postgres);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var (backends, cluster) = await postgres.StopAsync();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

            var rate = rows / elapsed.TotalSeconds;
            var slowest = rates.Count == 0 ? rate : rates.Min();
            Report("Total", $"{rows:N0} credentials in {elapsed.TotalSeconds:F1} s = {rate:N0} credentials/s (issue #14 target 5,000/s over 1,000,000: {(rate >= 5000 ? "met" : "NOT met")}; slowest window of {window:N0} {slowest:N0}/s, target 4,000/s over windows of 100,000: {(slowest >= 4000 ? "met" : "NOT met")})");
            Report("Process CPU", $"{cpu.TotalSeconds:F1} s over {elapsed.TotalSeconds:F1} s wall = {cpu.TotalSeconds / elapsed.TotalSeconds:F2} cores ({cpu.TotalMicroseconds / rows:F0} µs CPU per credential in the .NET process)");
            Report("PostgreSQL CPU", $"backends of this database {backends:F1} s ({backends * 1_000_000 / rows:F0} µs per credential, {backends / elapsed.TotalSeconds:F2} cores); whole cluster with its WAL writer, checkpointer and autovacuum {cluster:F1} s ({cluster * 1_000_000 / rows:F0} µs per credential, {cluster / elapsed.TotalSeconds:F2} cores)");
            Report("Raw ES256", $"{es256Micros:F1} µs CPU per sign (ECDsa P-256 SignData of 600 bytes, this run): .NET {cpu.TotalMicroseconds / rows / es256Micros:F1} signs' worth per credential, PostgreSQL {backends * 1_000_000 / rows / es256Micros:F1}");
            Report("Minting alone", $"{mintMicros:F1} µs CPU per credential (CredentialMinter.MintAsync: SD-JWT VC build and ES256 sign, measured alone)");
            Report("Memory", $"{allocated / (double)rows / 1024:F1} KiB allocated per credential ({allocated / 1024.0 / 1024 / 1024:F2} GiB in all); GCs gen0/1/2: {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3}");
            Report("Working set", $"during the run: peak {memory.PeakWorkingSet / 1024 / 1024:N0} MiB (sampled every 250 ms), peak GC heap {memory.PeakHeap / 1024 / 1024:N0} MiB (issue #14 target 5: Issuer at most 500 MiB: {(memory.PeakWorkingSet <= 500L * 1024 * 1024 ? "met" : "NOT met")}); whole process lifetime incl. seeding {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MiB");
            Report("Projection", Projection(rates, warmup, window, 15_600_000));
            sql?.Report(elapsed, rows);
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
        var now = DateTimeOffset.UtcNow;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            db.Organisations.Add(new Organisation { OdsCode = Ods, Name = "Benchmark NHS Foundation Trust", CreatedAt = now });
            await db.SaveChangesAsync();
        }
        var ids = new List<Guid>(staffCount);
        for (var from = 0; from < staffCount; from += 10_000)
            await SeedStaffAsync(services, from, Math.Min(10_000, staffCount - from), now, ids);
        return ids;
    }

    /// <summary>In chunks, each in a scope of its own: a hundred thousand tracked entities would set the process's peak before the run began.</summary>
    private static async Task SeedStaffAsync(IServiceProvider services, int from, int count, DateTimeOffset now, List<Guid> ids)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = from; i < from + count; i++)
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
    }

    /// <summary>Per member of staff: seven CSTF subjects, a DBS check, a right-to-work check and a references check, as an ESR and LMS export would give.</summary>
    private static List<IssueItem> Items(List<Guid> staff, int from, int count)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var items = new List<IssueItem>(count);
        // Made per call, not all up front: a million items with their claims would weigh more than the Issuer being measured.
        for (var i = from; i < from + count; i++)
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

    private static async Task<(TimeSpan Elapsed, List<double> Rates)> IssueAsync(
        IServiceProvider services, List<Guid> staffIds, int from, int count, int batch, int window, bool quiet, PostgresCpu? postgres = null)
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
                var outcomes = await issuance.IssueAsync(Ods, Items(staffIds, from + done, take), "bench", CancellationToken.None);
                if (outcomes.FirstOrDefault(o => o.Kind != IssueOutcomeKind.Issued) is { } failed)
                    throw new InvalidOperationException($"Item {from + done + failed.Index} was not issued: {failed.Kind} {failed.Code} {failed.Detail}");
            }
            var issued = done + take;
            if (!quiet && (issued - windowStart >= window || issued == count))
            {
                var rate = (issued - windowStart) / windowClock.Elapsed.TotalSeconds;
                // A last stretch shorter than a window is shown, not counted among the windows.
                if (issued - windowStart >= window)
                    rates.Add(rate);
                Report($"  {windowStart + 1,9:N0}-{issued,9:N0}", $"{rate,7:N0} credentials/s");
                if (postgres is not null)
                    await postgres.SampleAsync();
                windowStart = issued;
                windowClock.Restart();
            }
        }
        if (!quiet && rates.Count > 0)
            Report("Windows", $"slowest {rates.Min():N0}/s, fastest {rates.Max():N0}/s");
        return (total.Elapsed, rates);
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

    /// <summary>
    /// 15.6 million from the measured curve: seconds per credential fitted as a straight line in the number of credentials
    /// already in the table (least squares over the windows), integrated to the total; and, more cautiously, at the slowest
    /// window's rate throughout.
    /// </summary>
    private static string Projection(List<double> rates, int warmup, int window, long total)
    {
        if (rates.Count < 2)
            return "needs at least two full windows";
        var points = rates.Select((r, k) => (N: warmup + (k + 0.5) * window, S: 1 / r)).ToList();
        var meanN = points.Average(p => p.N);
        var meanS = points.Average(p => p.S);
        var slope = points.Sum(p => (p.N - meanN) * (p.S - meanS)) / points.Sum(p => (p.N - meanN) * (p.N - meanN));
        var intercept = meanS - slope * meanN;
        var flat = total / rates.Min();
        static string Hours(double seconds) => $"{seconds / 3600:F2} h";
        var need = $"{Hours(flat)} at the slowest window's rate throughout; within one hour needs {total / 3600.0:N0}/s on average";
        // A line that falls says the windows followed the machine's load, not the table's size: nothing to extrapolate.
        if (slope <= 0)
            return $"{total:N0} credentials: no slowdown in the measured curve (seconds per credential fall as the table grows), {Hours(meanS * total)} at the mean rate, {need}";
        var fitted = intercept * total + slope * total * (double)total / 2;
        return $"{total:N0} credentials: {Hours(fitted)} on the fitted line (seconds per credential {intercept * 1e6:F1} µs + {slope * 1e12:F3} µs per million already issued; " +
            $"{1 / (intercept + slope * total):N0}/s at the end), {need}";
    }

    /// <summary>
    /// Wall time per SQL statement that EF Core runs (not the COPYs, which bypass it), from its diagnostic events: where
    /// the run waits on the database. Counts from the warm-up on, so it is read as shares, not absolute figures.
    /// </summary>
    private sealed class SqlProfile : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly Dictionary<string, (int Count, TimeSpan Time)> _statements = [];
        private readonly List<IDisposable> _subscriptions = [];
        private IDisposable? _all;

        public static SqlProfile Start()
        {
            var profile = new SqlProfile();
            profile._all = DiagnosticListener.AllListeners.Subscribe(profile);
            return profile;
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
                _subscriptions.Add(value.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is not CommandExecutedEventData executed)
                return;
            var text = string.Join(' ', executed.Command.CommandText.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
            var key = text.Length > 110 ? text[..110] : text;
            lock (_statements)
            {
                var (count, time) = _statements.GetValueOrDefault(key);
                _statements[key] = (count + 1, time + executed.Duration);
            }
        }

        public void Report(TimeSpan elapsed, int rows)
        {
            lock (_statements)
            {
                foreach (var (text, (count, time)) in _statements.OrderByDescending(s => s.Value.Time).Take(10))
                    BenchmarkRun.Report("  SQL", $"{time.TotalSeconds,7:F1} s {count,8:N0}x {time.TotalMicroseconds / rows,6:F0} µs/credential  {text}");
                BenchmarkRun.Report("SQL total", $"{_statements.Values.Sum(s => s.Time.TotalSeconds):F1} s in EF Core commands over a run of {elapsed.TotalSeconds:F1} s (warm-up included)");
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _all?.Dispose();
            foreach (var subscription in _subscriptions)
                subscription.Dispose();
        }
    }

    private static double RawSignMicros(int count)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var data = RandomNumberGenerator.GetBytes(600);
        for (var i = 0; i < 200; i++)
            key.SignData(data, HashAlgorithmName.SHA256);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
            key.SignData(data, HashAlgorithmName.SHA256);
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
    }

    /// <summary>The process's working set and GC heap, sampled every 250 ms; the peaks are what the Issuer needed during the run.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peakWorkingSet;
        private long _peakHeap;

        public MemorySampler() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));

        public long PeakWorkingSet { get { Sample(); return Interlocked.Read(ref _peakWorkingSet); } }
        public long PeakHeap { get { Sample(); return Interlocked.Read(ref _peakHeap); } }

        private void Sample()
        {
            using var process = Process.GetCurrentProcess();
            Max(ref _peakWorkingSet, process.WorkingSet64);
            Max(ref _peakHeap, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes);
        }

        private static void Max(ref long peak, long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
            {
            }
        }

        public void Dispose() => _timer.Dispose();
    }

    /// <summary>
    /// PostgreSQL's CPU over the run, read from <c>/proc</c>: the backends serving this database (the pids
    /// <c>pg_stat_activity</c> names, sampled at every window so that a backend that ends is counted up to its last sample),
    /// and the whole cluster (the postmaster listening on the connection's port and its children: WAL writer, checkpointer,
    /// autovacuum; on a cluster others use too, theirs as well).
    /// </summary>
    private sealed class PostgresCpu
    {
        private const double TicksPerSecond = 100; // USER_HZ, the unit of /proc/<pid>/stat on Linux
        private readonly string _server;
        private readonly string _database;
        private readonly int? _postmaster;
        private readonly Dictionary<int, long> _start = [];
        private readonly Dictionary<int, long> _last = [];
        private readonly long _clusterStart;

        private PostgresCpu(string server, string database)
        {
            _server = new NpgsqlConnectionStringBuilder(server) { Database = database, ApplicationName = "bench-probe", Pooling = false }.ConnectionString;
            _database = database;
            var port = new NpgsqlConnectionStringBuilder(server).Port;
            _postmaster = FindPostmaster(port);
            _clusterStart = ClusterTicks();
        }

        public static async Task<PostgresCpu> StartAsync(string server, string database)
        {
            var meter = new PostgresCpu(server, database);
            foreach (var (pid, ticks) in await meter.BackendsAsync())
                meter._start[pid] = meter._last[pid] = ticks;
            return meter;
        }

        public async Task SampleAsync()
        {
            foreach (var (pid, ticks) in await BackendsAsync())
                _last[pid] = ticks;
        }

        public async Task<(double Backends, double Cluster)> StopAsync()
        {
            var cluster = ClusterTicks() - _clusterStart;
            await SampleAsync();
            return (_last.Sum(b => b.Value - _start.GetValueOrDefault(b.Key)) / TicksPerSecond, cluster / TicksPerSecond);
        }

        private async Task<List<(int Pid, long Ticks)>> BackendsAsync()
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", connection);
            command.Parameters.AddWithValue("database", _database);
            await using var reader = await command.ExecuteReaderAsync();
            var result = new List<(int, long)>();
            while (await reader.ReadAsync())
            {
                if (ProcessTicks(reader.GetInt32(0)) is { } ticks)
                    result.Add((reader.GetInt32(0), ticks));
            }
            return result;
        }

        private long ClusterTicks()
        {
            if (_postmaster is not { } postmaster)
                return 0;
            long sum = ProcessTicks(postmaster) ?? 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) == postmaster)
                    sum += ProcessTicks(pid) ?? 0;
            }
            return sum;
        }

        private static int? FindPostmaster(int port)
        {
            if (!Directory.Exists("/proc"))
                return null;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                    var at = Array.IndexOf(args, "-p");
                    if (args[0].EndsWith("/postgres", StringComparison.Ordinal) && at > 0 && at + 1 < args.Length && args[at + 1] == port.ToString(CultureInfo.InvariantCulture))
                        return int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                }
            }
            return null;
        }

        private static string[]? Stat(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            }
            catch (IOException)
            {
                return null;
            }
        }

        private static int? ParentOf(int pid) => Stat(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : null;

        /// <summary>utime + stime, fields 14 and 15 of /proc/&lt;pid&gt;/stat, counted after the command name in parentheses.</summary>
        private static long? ProcessTicks(int pid) =>
            Stat(pid) is { } fields ? long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture) : null;
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
