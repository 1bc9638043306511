using Passport.Contracts;

namespace Passport.Issuer.Deployments;

/// <summary>
/// Where one of our staff is deployed, as the host organisation's events tell us: the home organisation's view. The host
/// runs the deployment; this view follows its events, whatever order they arrive in, and only the approval is decided here.
/// </summary>
public sealed class HomeDeployment
{
    public Guid Id { get; private init; }
    public string HomeOdsCode { get; private init; } = "";
    public string HostOdsCode { get; private init; } = "";
    public Guid StaffId { get; private init; }

    /// <summary>Empty when the deployment became known from a start that did not name its agreement.</summary>
    public Guid AgreementId { get; private init; }

    public string? HostSite { get; private init; }
    public DateOnly Start { get; private set; }
    public DateOnly End { get; private set; }
    public bool RequiresApproval { get; private init; }

    /// <summary>One of <see cref="DeploymentStates"/>, stored as it is.</summary>
    public string State { get; private set; } = DeploymentStates.AwaitingApproval;

    public DateTimeOffset UpdatedAt { get; private set; }
    public List<HomeDeploymentEvent> History { get; private init; } = [];

    /// <summary>The host asks to deploy the person; it waits for our approval if the agreement says so.</summary>
    public static HomeDeployment Requested(DeploymentRequested requested, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var deployment = new HomeDeployment
        {
            Id = requested.DeploymentId, HomeOdsCode = requested.HomeOdsCode, HostOdsCode = requested.HostOdsCode, StaffId = requested.StaffId,
            AgreementId = requested.AgreementId, HostSite = requested.HostSite, Start = requested.Start, End = requested.End,
            RequiresApproval = requested.RequiresHomeApproval,
            State = requested.RequiresHomeApproval ? DeploymentStates.AwaitingApproval : DeploymentStates.Approved,
        };
        deployment.Record("requested", now, now, $"by {requested.HostOdsCode} for {requested.Start:yyyy-MM-dd} to {requested.End:yyyy-MM-dd}");
        return deployment;
    }

    /// <summary>A start that arrived before the request (events travel on separate queues): known from here on, not yet started.</summary>
    public static HomeDeployment KnownFromStart(DeploymentStarted started, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(started);
        return new HomeDeployment
        {
            Id = started.DeploymentId, HomeOdsCode = started.HomeOdsCode, HostOdsCode = started.HostOdsCode, StaffId = started.StaffId,
            AgreementId = started.AgreementId ?? Guid.Empty, HostSite = started.HostSite, Start = started.Start, End = started.End,
            RequiresApproval = false, State = DeploymentStates.Active, UpdatedAt = now,
        };
    }

    /// <summary>The host started the deployment, from and to the dates it names. An end that arrived first stands.</summary>
    public void Started(DateOnly start, DateOnly end, DateTimeOffset now)
    {
        if (State != DeploymentStates.Ended)
            State = DeploymentStates.Active;
        (Start, End) = (start, end);
        Record("started", now, now);
    }

    public void Extended(DateOnly previousEnd, DateOnly newEnd, DateTimeOffset now)
    {
        End = newEnd;
        Record("extended", now, now, $"from {previousEnd:yyyy-MM-dd} to {newEnd:yyyy-MM-dd}");
    }

    public void Ended(DateOnly endedOn, DateTimeOffset now)
    {
        State = DeploymentStates.Ended;
        End = endedOn;
        Record("ended", now, now);
    }

    /// <summary>The host flagged the deployment (a credential of the person was withdrawn or lapses), at <paramref name="flaggedAt"/>.</summary>
    public void Flagged(string reason, DateTimeOffset flaggedAt, DateTimeOffset now) => Record("flagged", flaggedAt, now, reason);

    public bool TryApprove(string actor, DateTimeOffset now, out string? problem) => TryDecide(DeploymentStates.Approved, "approved", $"by {actor}", now, out problem);

    public bool TryDecline(string reason, DateTimeOffset now, out string? problem) => TryDecide(DeploymentStates.Declined, "declined", reason, now, out problem);

    private bool TryDecide(string state, string @event, string detail, DateTimeOffset now, out string? problem)
    {
        if (State != DeploymentStates.AwaitingApproval)
        {
            problem = $"The deployment is {State.Replace('_', ' ')}, not awaiting your approval.";
            return false;
        }
        State = state;
        Record(@event, now, now, detail);
        problem = null;
        return true;
    }

    private void Record(string @event, DateTimeOffset at, DateTimeOffset now, string? detail = null)
    {
        History.Add(new HomeDeploymentEvent { Event = @event, At = at, Detail = detail });
        UpdatedAt = now;
    }
}

public sealed class HomeDeploymentEvent
{
    public required string Event { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? Detail { get; init; }
}

public static class DeploymentStates
{
    public const string AwaitingApproval = "awaiting_approval";
    public const string Approved = "approved";
    public const string Declined = "declined";
    public const string Active = "active";
    public const string Ended = "ended";
}
