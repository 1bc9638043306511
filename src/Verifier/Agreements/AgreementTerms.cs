namespace Passport.Verifier.Agreements;

/// <summary>
/// An agreement's terms for a deployment, in one place for every caller (a presentation request, direct verification, a new
/// or extended deployment, mutual aid). A breach names the same field with the same sentence wherever it is found:
/// <list type="bullet">
/// <item><c>role</c>: no role, or one the agreement does not cover.</item>
/// <item><c>start</c>: no first day, or a first day before the agreement's period.</item>
/// <item><c>end</c>: no last day, a last day before the first, after the agreement's period, or making the deployment longer than
/// the agreement's maximum (both days count).</item>
/// </list>
/// docs/agreement-terms.md lists them for integrators.
/// </summary>
internal static class AgreementTerms
{
    public const string RoleField = "role";
    public const string StartField = "start";
    public const string EndField = "end";

    /// <summary>The role and the dates of a deployment against the agreement's terms; empty when they fit.</summary>
    public static Dictionary<string, string[]> Check(AgreementRules rules, string? role, DateOnly? start, DateOnly? end)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var errors = CheckDates(rules, start, end);
        if (string.IsNullOrWhiteSpace(role))
            errors[RoleField] = ["Name the role, one of the agreement's roles."];
        else if (rules.FindRole(role) is null)
            errors[RoleField] = [$"The agreement does not cover the role '{role}'; it covers {string.Join(", ", rules.Roles.Select(r => r.Role))}."];
        return errors;
    }

    /// <summary>The dates of a deployment against the agreement's period and maximum length; empty when they fit.</summary>
    public static Dictionary<string, string[]> CheckDates(AgreementRules rules, DateOnly? start, DateOnly? end)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var errors = CheckDays(start, end);
        if (errors.Count > 0 || start is not { } s || end is not { } e)
            return errors;
        if (s < rules.StartsOn)
            errors[StartField] = [OutsidePeriod(rules)];
        if (e > rules.EndsOn)
            errors[EndField] = [OutsidePeriod(rules)];
        else if (LengthInDays(s, e) > rules.MaxDeploymentDays)
            errors[EndField] = [$"The agreement allows deployments of at most {rules.MaxDeploymentDays} days; this one is {LengthInDays(s, e)}."];
        return errors;
    }

    /// <summary>The dates alone, before any agreement is known: both given, the last day not before the first.</summary>
    public static Dictionary<string, string[]> CheckDays(DateOnly? start, DateOnly? end)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (start is null)
            errors[StartField] = ["Give the deployment's first day (yyyy-mm-dd)."];
        if (end is null)
            errors[EndField] = ["Give the deployment's last day (yyyy-mm-dd)."];
        else if (start is { } s && end < s)
            errors[EndField] = ["The deployment cannot end before it starts."];
        return errors;
    }

    /// <summary>Adds <paramref name="breaches"/> to a request's other <paramref name="errors"/>, keeping both when they name one field.</summary>
    public static void AddTo(this Dictionary<string, string[]> breaches, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(breaches);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var (field, messages) in breaches)
            errors[field] = errors.TryGetValue(field, out var had) ? [.. had, .. messages] : messages;
    }

    /// <summary>Days from the first to the last day, both included.</summary>
    public static int LengthInDays(DateOnly start, DateOnly end) => end.DayNumber - start.DayNumber + 1;

    /// <summary>The latest last day a deployment starting on <paramref name="start"/> may have: the maximum length, within the period.</summary>
    public static DateOnly LatestEnd(DateOnly start, int maxDeploymentDays, DateOnly endsOn)
    {
        var byLength = start.AddDays(maxDeploymentDays - 1);
        return byLength < endsOn ? byLength : endsOn;
    }

    /// <summary>Why a deployment cannot run past its latest last day, naming the limits it was started under.</summary>
    public static string BeyondLatestEnd(DateOnly start, int maxDeploymentDays, DateOnly endsOn) =>
        $"The agreement allows at most {maxDeploymentDays} days, within its period ending {endsOn:yyyy-MM-dd}: "
        + $"this deployment can end on {LatestEnd(start, maxDeploymentDays, endsOn):yyyy-MM-dd} at the latest.";

    /// <summary>The terms in words for people, for a deployment that cannot start (no field to name: the page shows it beside the person).</summary>
    public static string InWords(AgreementRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return $"The deployment must fall within the agreement's period, {rules.StartsOn:d MMMM yyyy} to {rules.EndsOn:d MMMM yyyy}, "
            + $"and last at most {rules.MaxDeploymentDays} days.";
    }

    private static string OutsidePeriod(AgreementRules rules) =>
        $"The deployment must fall within the agreement's period, {rules.StartsOn:yyyy-MM-dd} to {rules.EndsOn:yyyy-MM-dd}.";
}
