using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Passport.Web.Pages;

namespace Passport.Web.Tests;

/// <summary>The date input's own messages, in the NHS service manual's words, on the box at fault.</summary>
public sealed class DateInputTests
{
    private sealed class Form : FormPage
    {
        public Form() => PageContext = new PageContext { ViewData = new ViewDataDictionary(new EmptyModelMetadataProvider(), new ModelStateDictionary()) };
    }

    [Fact]
    public void A_real_date_in_three_boxes_reads_as_that_date_with_no_error()
    {
        var form = new Form();
        Assert.Equal(new DateOnly(2027, 3, 15), new DateInput { Day = " 15", Month = "3", Year = "2027 " }.Read(form, "start", "the first day"));
        Assert.False(form.HasErrors);
    }

    [Theory]
    [InlineData("", "", "", "start-day", "Enter the first day", "all")]
    [InlineData("", "3", "2027", "start-day", "The first day must include a day", "day")]
    [InlineData("15", "", "2027", "start-month", "The first day must include a month", "month")]
    [InlineData("15", "3", "", "start-year", "The first day must include a year", "year")]
    [InlineData("15", "3", "27", "start-year", "The first day must include a year with 4 numbers, for example 2027", "year")]
    [InlineData("31", "2", "2027", "start-day", "The first day must be a real date", "all")]
    [InlineData("1", "13", "2027", "start-day", "The first day must be a real date", "all")]
    [InlineData("first", "3", "2027", "start-day", "The first day must be a real date", "all")]
    public void A_wrong_date_says_what_is_wrong_in_words_on_the_box_at_fault(string day, string month, string year, string field, string message, string faulty)
    {
        var form = new Form();
        var input = new DateInput { Day = day, Month = month, Year = year };
        Assert.Null(input.Read(form, "start", "the first day"));
        Assert.Equal(message, form.ErrorFor(field));
        Assert.Equal(faulty, input.Faulty);
    }

    [Fact]
    public void An_optional_date_left_empty_is_no_date_and_no_error()
    {
        var form = new Form();
        Assert.Null(new DateInput().Read(form, "expires", "the expiry date", required: false));
        Assert.False(form.HasErrors);
    }
}
