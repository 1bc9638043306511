using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Import;

internal static partial class Importing
{
    /// <summary>The day the example file's dates were written for; tests move them by the days since, so its good rows stay good.</summary>
    private static readonly DateOnly ExampleWrittenOn = new(2026, 11, 22);

    public static string ExampleFile([CallerFilePath] string here = "")
    {
        var text = File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "example-import.csv"));
        var shift = DateOnly.FromDateTime(DateTime.UtcNow).DayNumber - ExampleWrittenOn.DayNumber;
        return IsoDate().Replace(text, m => DateOnly.ParseExact(m.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(shift).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    public static Task<HttpResponseMessage> PostCsvAsync(HttpClient client, string csv) =>
        client.PostAsync(Url("/api/imports"), new StringContent(csv, Encoding.UTF8, "text/csv"));

    public static Task<HttpResponseMessage> PostFileAsync(HttpClient client, string csv, string fileName = "esr-export.csv")
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return client.PostAsync(Url("/api/imports"), new MultipartFormDataContent { { file, "file", fileName } });
    }

    /// <summary>Starts an import and returns its id, checking the 202 and its Location.</summary>
    public static async Task<Guid> StartAsync(HttpClient client, string csv)
    {
        var response = await PostCsvAsync(client, csv);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = Guid.Parse((string)(await JsonAsync(response))["id"]!);
        Assert.Equal($"/api/imports/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    /// <summary>Polls the job until it has completed or failed.</summary>
    public static async Task<JsonObject> FinishedAsync(HttpClient client, Guid id, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var response = await client.GetAsync(Url($"/api/imports/{id}"));
            response.EnsureSuccessStatusCode();
            var job = await JsonAsync(response);
            if ((string?)job["state"] is "completed" or "failed")
                return job;
            Assert.True(DateTime.UtcNow < deadline, $"Import {id} did not finish within {seconds} s: {job.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public static (int Line, string Field)[] ErrorsOf(JsonObject job) =>
        [.. job["errors"]!.AsArray().Select(e => ((int)e!["line"]!, (string)e["field"]!)).Order()];

    public static int Count(JsonObject job, string name) => (int)job[name]!;

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex IsoDate();
}
