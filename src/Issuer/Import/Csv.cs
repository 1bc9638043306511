using System.Text;

namespace Passport.Issuer.Import;

/// <summary>One CSV record and the file line it starts on (a quoted field may span lines).</summary>
internal sealed record CsvRecord(int Line, string[] Fields);

/// <summary>Why a file is not CSV: where, and what to fix.</summary>
internal sealed record CsvError(string Code, int Line, string Reason);

/// <summary>
/// RFC 4180: comma-separated fields, a field with a comma, quote or line break is enclosed in double quotes and a quote inside
/// it is doubled. Also accepted, as exports produce them: LF as well as CRLF line ends, a leading byte order mark, blank lines
/// (skipped). Anything else ambiguous (a stray quote, text after a closing quote, a quote never closed) is refused with its line.
/// </summary>
internal static class Csv
{
    public static (List<CsvRecord>? Records, CsvError? Error) Parse(string text, int maxRecords)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var atFieldStart = true;
        var hasContent = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var n = text.Length;

        while (i < n)
        {
            var c = text[i];
            if (atFieldStart && c == '"')
            {
                var opened = line;
                i++;
                while (true)
                {
                    if (i >= n)
                        return Fail("unterminated_quote", opened, "A quoted field starting on this line is never closed: add the closing quote (and double any quote inside the field).");
                    c = text[i];
                    if (c == '"')
                    {
                        if (i + 1 < n && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (c == '\n' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n')))
                        line++;
                    field.Append(c);
                    i++;
                }
                if (i < n && text[i] is not (',' or '\r' or '\n'))
                    return Fail("malformed_csv", line, "Text follows a closing quote: only a comma or the end of the line may follow it. Double a quote inside a quoted field (\"\").");
                atFieldStart = false;
                hasContent = true;
                continue;
            }
            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    hasContent = true;
                    i++;
                    break;
                case '\r' or '\n':
                    i += c == '\r' && i + 1 < n && text[i + 1] == '\n' ? 2 : 1;
                    if (EndRecord() is { } tooMany)
                        return (null, tooMany);
                    line++;
                    recordLine = line;
                    break;
                case '"':
                    return Fail("malformed_csv", line, "A quote inside a field that does not start with a quote: enclose the whole field in quotes and double the quote inside it.");
                default:
                    field.Append(c);
                    atFieldStart = false;
                    hasContent = true;
                    i++;
                    break;
            }
        }
        if (EndRecord() is { } last)
            return (null, last);
        return (records, null);

        CsvError? EndRecord()
        {
            if (hasContent || field.Length > 0)
            {
                fields.Add(field.ToString());
                if (records.Count == maxRecords)
                    return new CsvError("too_many_rows", recordLine, $"The file has more than {maxRecords - 1} rows; split it into smaller files.");
                records.Add(new CsvRecord(recordLine, [.. fields]));
            }
            fields.Clear();
            field.Clear();
            atFieldStart = true;
            hasContent = false;
            return null;
        }

        (List<CsvRecord>?, CsvError?) Fail(string code, int at, string reason) => (null, new CsvError(code, at, reason));
    }
}
