using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Passport.Credentials.Jose;
using Passport.Issuer.Data;
using Passport.Issuer.Organisations;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Import;

/// <summary>
/// HR uploads a CSV export (multipart field <c>file</c>, or a <c>text/csv</c> body). The file is checked as CSV and its header
/// against the known columns at once; its rows are validated and issued by the background worker, always as a job.
/// </summary>
internal static class StartImport
{
    // Room for the multipart boundaries and part headers around the file itself.
    private const int MultipartOverhead = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<Results<Accepted<ImportResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest request, ClaimsPrincipal user, IssuerDbContext db, IOptions<ImportOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (bytes, fileName, problem) = await ReadFileAsync(request, o.MaxFileBytes, cancellationToken);
        if (problem is not null)
            return problem;

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes!);
        }
        catch (DecoderFallbackException)
        {
            return Problems.BadRequest("not_utf8", "The file is not UTF-8 text: export it as CSV UTF-8.");
        }
        var (records, error) = Csv.Parse(text, o.MaxRows + 1);
        if (error is not null)
        {
            var malformed = Problems.BadRequest(error.Code, $"Line {error.Line}: {error.Reason}");
            malformed.ProblemDetails.Extensions["line"] = error.Line;
            return malformed;
        }
        if (records!.Count == 0)
            return Problems.BadRequest("empty_file", "The file is empty: send a header row and at least one data row.");
        if (ControlCharacterIn(records) is { } control)
            return control;
        var (columns, headerErrors) = ImportFormat.ReadHeader(records[0].Fields);
        if (columns is null)
        {
            return TypedResults.ValidationProblem(headerErrors, title: "Invalid header",
                detail: "The header row has unknown, unnamed, repeated or missing columns; see errors (keyed by column) and docs/import.md.",
                type: "https://passport.nhs.uk/problems/invalid_header", extensions: new Dictionary<string, object?> { ["code"] = "invalid_header" });
        }
        if (records.Count == 1)
            return Problems.BadRequest("no_rows", "The file has a header row but no data rows.");

        var ods = user.OdsCode();
        if (!await db.Organisations.AnyAsync(x => x.OdsCode == ods, cancellationToken))
            return GetOrganisation.NotRegistered(ods);

        var job = new ImportJob
        {
            OdsCode = ods, FileName = fileName, Content = text, CreatedBy = user.Actor(), CreatedAt = time.GetUtcNow(), State = ImportState.Queued,
            TotalRows = records.Count - 1,
        };
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/imports/{job.Id}", GetImport.ToResponse(job, []));
    }

    // A NUL or an escape sequence in a name is never data an export meant; tabs and line breaks in quoted fields may be.
    private static ProblemHttpResult? ControlCharacterIn(List<CsvRecord> records)
    {
        var header = records[0].Fields;
        foreach (var record in records)
        {
            for (var i = 0; i < record.Fields.Length; i++)
            {
                if (!StrictJson.HasControlCharacter(record.Fields[i]))
                    continue;
                var column = record == records[0] || i >= header.Length || StrictJson.HasControlCharacter(header[i])
                    ? $"column {i + 1}"
                    : header[i];
                var problem = Problems.BadRequest("control_character",
                    $"Line {record.Line}, {column}: the field holds a control character (NUL, escape and the like); remove it and export the file again.");
                problem.ProblemDetails.Extensions["line"] = record.Line;
                problem.ProblemDetails.Extensions["field"] = column;
                return problem;
            }
        }
        return null;
    }

    private static async Task<(byte[]? Bytes, string FileName, ProblemHttpResult? Problem)> ReadFileAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
            return (null, "", UnsupportedMediaType());
        var multipart = contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        var csv = contentType.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) || contentType.MediaType.Equals("application/csv", StringComparison.OrdinalIgnoreCase);
        if (!multipart && !csv)
            return (null, "", UnsupportedMediaType());

        var bodyLimit = (long)limit + (multipart ? MultipartOverhead : 0);
        if (request.ContentLength > bodyLimit)
            return (null, "", TooLarge(limit));
        // The service default (1 MB) is for JSON; this endpoint takes files up to its own limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = bodyLimit;

        if (csv)
        {
            var body = await ReadBoundedAsync(request.Body, limit, cancellationToken);
            return body is null ? (null, "", TooLarge(limit)) : (body, "import.csv", null);
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary))
            return (null, "", Problems.BadRequest("malformed_request", "The multipart body has no boundary in its Content-Type."));
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !HeaderUtilities.RemoveQuotes(disposition.Name).Equals("file", StringComparison.Ordinal))
                {
                    continue;
                }
                var body = await ReadBoundedAsync(section.Body, limit, cancellationToken);
                if (body is null)
                    return (null, "", TooLarge(limit));
                var name = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "");
                return (body, string.IsNullOrWhiteSpace(name) ? "import.csv" : name[..Math.Min(name.Length, 260)], null);
            }
        }
        catch (IOException)
        {
            return (null, "", MalformedMultipart());
        }
        catch (InvalidDataException)
        {
            return (null, "", MalformedMultipart());
        }
        return (null, "", Problems.BadRequest("no_file", "Send the CSV file in a multipart form field named 'file', or as the body with Content-Type text/csv."));
    }

    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ProblemHttpResult TooLarge(int limit) =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "file_too_large", $"The file is larger than the {limit / 1024 / 1024.0:0.##} MB an import accepts; split it into smaller files.");

    private static ProblemHttpResult UnsupportedMediaType() =>
        Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the CSV as multipart/form-data with a field named 'file', or as the body with Content-Type text/csv.");

    private static ProblemHttpResult MalformedMultipart() =>
        Problems.BadRequest("malformed_request", "The multipart body could not be read: check its boundary and part headers.");
}
