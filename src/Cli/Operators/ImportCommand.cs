using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Passport.Cli.Api;
using Spectre.Console;

namespace Passport.Cli.Operators;

/// <summary>
/// <c>passport import</c>: uploads an ESR / learning-system CSV export (docs/import.md), follows the job with a progress bar,
/// and prints every row error. Exit code 0 when every row went in, 2 when some rows failed, 1 when the import itself failed.
/// </summary>
internal static class ImportCommand
{
    private const int MaxErrorsShown = 1000;
    private static readonly string[] Totals = ["totalRows", "issued", "unchanged", "staffCreated", "staffUpdated", "failed"];

    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "The CSV file (UTF-8, header row first)" };
        var url = PassportCommand.UrlOption();
        var token = PassportCommand.TokenOption();
        var command = new Command("import", "Import a CSV of staff, checks and training (needs an hr_issuer token)") { file, url, token };
        command.SetRun(console, async (parse, ct) =>
        {
            var csv = parse.GetValue(file)!;
            if (!csv.Exists)
                throw new CommandFailedException($"There is no file {csv.FullName}.");
            using var http = ServiceClient.CreateHttp(parse.GetValue(url)!);
            var service = new ServiceClient(http).As(PassportCommand.RequireToken(parse.GetValue(token)!));

            using var content = new MultipartFormDataContent();
            var bytes = new ByteArrayContent(await File.ReadAllBytesAsync(csv.FullName, ct));
            bytes.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            content.Add(bytes, "file", csv.Name);
            using var upload = new HttpRequestMessage(HttpMethod.Post, "api/imports") { Content = content };
            var job = await service.SendAsync(upload, $"Uploading {csv.Name}", ct, HttpStatusCode.Accepted);
            var id = job["id"]!.GetValue<string>();

            await console.Progress().AutoClear(false).StartAsync(async progress =>
            {
                var bar = progress.AddTask($"Importing {Markup.Escape(csv.Name)}", maxValue: Math.Max(1, job["totalRows"]?.GetValue<int>() ?? 1));
                while (State(job) is "queued" or "running")
                {
                    bar.Value = job["processedRows"]?.GetValue<int>() ?? 0;
                    await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
                    job = await service.GetAsync($"api/imports/{id}", "Following the import", ct);
                }
                bar.Value = bar.MaxValue;
            });

            var summary = new Table().AddColumns("Rows", "Issued", "Unchanged", "Staff created", "Staff updated", "Failed");
            summary.AddRow([.. Totals.Select(k => job[k]?.ToString() ?? "0")]);
            console.Write(summary);
            if (State(job) == "failed")
                throw new CommandFailedException($"The import failed: {job["failureReason"]}");

            var failed = job["failed"]?.GetValue<int>() ?? 0;
            if (failed == 0)
            {
                console.MarkupLine("[green]✓[/] Every row was imported.");
                return 0;
            }
            var errors = new Table().AddColumns("Line", "Field", "Reason");
            var shown = 0;
            for (var page = 1; shown < MaxErrorsShown; page++)
            {
                var answer = await service.GetAsync($"api/imports/{id}/errors?page={page}&pageSize=100", "Reading the row errors", ct);
                var items = answer["items"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
                foreach (var e in items)
                    errors.AddRow(e["line"]?.ToString() ?? "", Markup.Escape(e["field"]?.ToString() ?? ""), Markup.Escape(e["reason"]?.ToString() ?? ""));
                shown += items.Count;
                if (items.Count < 100)
                    break;
            }
            console.Write(errors);
            console.MarkupLineInterpolated($"[yellow]! {failed} row(s) were not imported; correct them and import those rows again.[/]");
            return 2;
        });
        return command;
    }

    private static string? State(JsonObject job) => job["state"]?.GetValue<string>();
}
