using Passport.Issuer.Import;

namespace Passport.Issuer.Tests.Import;

public sealed class CsvTests
{
    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_records_keep_their_first_line()
    {
        const string text = "\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\nlast,,\"\"\n";

        var (records, error) = Csv.Parse(text, 100);

        Assert.Null(error);
        Assert.NotNull(records);
        Assert.Equal([1, 2, 5], records.Select(r => r.Line));
        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["x, y", "say \"hi\"", "two\r\nlines"], records[1].Fields);
        Assert.Equal(["last", "", ""], records[2].Fields);
    }

    [Fact]
    public void Lf_line_ends_and_a_missing_final_line_end_are_accepted()
    {
        var (records, error) = Csv.Parse("a,b\n1,2", 100);

        Assert.Null(error);
        Assert.Equal([["a", "b"], ["1", "2"]], records!.Select(r => r.Fields));
    }

    [Theory]
    [InlineData("a,b\r\n1,\"open\r\n2,3\r\n", "unterminated_quote", 2)]
    [InlineData("a,b\r\n1,2\r\n3,ab\"c\r\n", "malformed_csv", 3)]
    [InlineData("a,b\r\n\"x\"y,2\r\n", "malformed_csv", 2)]
    [InlineData("a\r\n1\r\n2\r\n3\r\n", "too_many_rows", 4)]
    public void Malformed_csv_is_refused_with_its_line(string text, string code, int line)
    {
        var (records, error) = Csv.Parse(text, 3);

        Assert.Null(records);
        Assert.Equal((code, line), (error!.Code, error.Line));
    }
}
