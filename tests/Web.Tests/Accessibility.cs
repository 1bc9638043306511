using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Passport.Web.Tests;

/// <summary>axe-core in the page, limited to the rules behind WCAG 2.2 level A and AA.</summary>
public static class Accessibility
{
    public static readonly IReadOnlyList<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    /// <summary>Runs axe on the page as it is now (after whatever the test did to it) and returns everything it found.</summary>
    public static Task<AxeResult> RunAxeAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } });
    }

    /// <summary>Fails the test with every WCAG 2.2 AA violation axe finds on the page, each with the elements at fault.</summary>
    public static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        var result = await RunAxeAsync(page);
        if (result.Violations is { Length: > 0 } violations)
            Assert.Fail(Describe(page.Url, violations));
    }

    public static string Describe(string url, IEnumerable<AxeResultItem> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var text = new StringBuilder();
        var list = violations.ToList();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"axe found {list.Count} WCAG 2.2 AA violation(s) on {url}:");
        foreach (var violation in list)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n- {violation.Id} ({violation.Impact}): {violation.Help} [{violation.HelpUrl}]");
            foreach (var node in violation.Nodes ?? [])
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n    at {node.Target}: {node.Html}");
                foreach (var check in (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []))
                    text.Append("\n      ").Append(check.Message);
            }
        }
        return text.ToString();
    }
}
