using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.Notifications;
using static Passport.Notifications.MessageWords;

namespace Passport.Issuer.Notifications;

/// <summary>
/// What the Issuer tells staff (at the addresses HR holds on their record) and its HR contacts (from settings). Each
/// method queues rows in <paramref name="db"/>'s unit of work; the caller's SaveChanges commits them with its change.
/// </summary>
internal sealed class IssuerMessages(IOptions<NotificationOptions> options, IOptions<IssuerOptions> issuer)
{
    /// <summary>The contacts role for HR messages: <c>Notifications:Contacts:{ods}:hr_issuer</c>.</summary>
    public const string HrRole = "hr_issuer";

    private Uri Link(string page) => WebPages.Link(options.Value.WebBaseUrl ?? issuer.Value.PublicBaseUrl, page);

    private bool Sms => options.Value.Sms.Enabled;

    public async Task<int> ToStaffAsync(IssuerDbContext db, Guid staffId, string odsCode, Guid sourceId, Func<string, MessageContent> content, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        (await StaffAddressesAsync(db, [(staffId, odsCode)], cancellationToken)).TryGetValue(staffId, out var person)
            ? ToStaff(db, person, sourceId, content, now)
            : 0;

    /// <summary>
    /// The addresses of the given staff, each with their organisation's name, in two queries however many: only those
    /// on that organisation's record who have an email address or a mobile number, keyed by staff id.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, StaffAddress>> StaffAddressesAsync(IssuerDbContext db, IEnumerable<(Guid StaffId, string OdsCode)> staff,
        CancellationToken cancellationToken)
    {
        var wanted = staff.ToHashSet();
        var ids = wanted.Select(s => s.StaffId).Distinct().ToList();
        var people = (await db.Staff.AsNoTracking().Where(s => ids.Contains(s.Id) && (s.Email != null || s.Mobile != null))
            .Select(s => new { s.Id, s.OdsCode, s.Email, s.Mobile }).ToListAsync(cancellationToken))
            .Where(p => wanted.Contains((p.Id, p.OdsCode))).ToList();
        var codes = people.Select(p => p.OdsCode).Distinct().ToList();
        var names = await db.Organisations.AsNoTracking().Where(o => codes.Contains(o.OdsCode))
            .ToDictionaryAsync(o => o.OdsCode, o => o.Name, cancellationToken);
        return people.ToDictionary(p => p.Id, p => new StaffAddress(p.OdsCode, names.GetValueOrDefault(p.OdsCode) ?? p.OdsCode, p.Email, p.Mobile));
    }

    /// <summary>Queues <paramref name="content"/> to <paramref name="person"/>'s addresses; how many messages.</summary>
    public int ToStaff(IssuerDbContext db, StaffAddress person, Guid sourceId, Func<string, MessageContent> content, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(content);
        return db.QueueNotifications(person.OdsCode, sourceId, [person.Email, person.Mobile], content(person.Organisation), Sms, now);
    }

    public async Task<int> ToHrAsync(IssuerDbContext db, string odsCode, Guid sourceId, Func<string, MessageContent> content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var contacts = options.Value.ContactsFor(odsCode, HrRole);
        // An organisation another Issuer serves is not ours to tell, whatever the settings say.
        if (contacts.Count == 0 || await OrganisationNameAsync(db, odsCode, cancellationToken) is not { } organisation)
            return 0;
        return db.QueueNotifications(odsCode, sourceId, contacts, content(organisation), Sms, now);
    }

    /// <summary>Tells HR of a rejection once per wallet notification, however often the wallet repeats it.</summary>
    public async Task RejectedAsync(IssuerDbContext db, string odsCode, string walletNotificationId, Guid credentialId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var source = NotificationSource.From($"credential-rejected:{odsCode}:{walletNotificationId}");
        if (await db.Set<Notification>().AnyAsync(n => n.SourceId == source, cancellationToken))
            return;
        var credential = await db.Credentials.AsNoTracking().Where(c => c.Id == credentialId && c.OdsCode == odsCode)
            .Select(c => new { c.Type, c.StaffId }).FirstOrDefaultAsync(cancellationToken);
        if (credential is null)
            return;
        await ToHrAsync(db, odsCode, source, org => Rejected(org, credential.Type, credential.StaffId), now, cancellationToken);
    }

    private static Task<string?> OrganisationNameAsync(IssuerDbContext db, string odsCode, CancellationToken cancellationToken) =>
        db.Organisations.AsNoTracking().Where(o => o.OdsCode == odsCode).Select(o => (string?)o.Name).FirstOrDefaultAsync(cancellationToken);

    public MessageContent OfferWaiting(string organisation, int count) => new("offer_waiting",
        $"{organisation} has offered you {Credentials(count)}",
        $"{organisation} has offered you {Credentials(count)} for your digital staff passport. Sign in to add {(count == 1 ? "it" : "them")} to your wallet or to say what is wrong."
        + SignIn(Link(WebPages.MyPassport)));

    public MessageContent OfferReminder(string organisation, DateTimeOffset offeredAt) => new("offer_reminder",
        $"Reminder: {organisation} offered you credentials",
        $"On {Date(offeredAt)} {organisation} offered you credentials for your digital staff passport, and they are still waiting. Sign in to add them to your wallet."
        + SignIn(Link(WebPages.MyPassport)));

    public MessageContent Withdrawn(string organisation, string type) => new("credential_withdrawn",
        $"{organisation} has withdrawn a credential",
        $"{organisation} has withdrawn a {CredentialType(type)} credential from your digital staff passport. It can no longer be used. HR can tell you why."
        + SignIn(Link(WebPages.MyPassport)));

    public MessageContent Suspended(string organisation, string type) => new("credential_suspended",
        $"{organisation} has suspended a credential",
        $"{organisation} has suspended a {CredentialType(type)} credential in your digital staff passport. It cannot be used until HR reinstates it."
        + SignIn(Link(WebPages.MyPassport)));

    public MessageContent Expiring(string organisation, string type, DateTimeOffset expiresAt, int days) => new($"credential_expiring_{days}",
        $"A credential expires in {Days(days)}",
        $"A {CredentialType(type)} credential in your digital staff passport from {organisation} expires on {Date(expiresAt)}, in {Days(days)}. Speak to HR or your manager about renewing it."
        + SignIn(Link(WebPages.MyPassport)));

    public MessageContent ConsentRequested(string organisation, Guid memberId, DateOnly start, DateOnly end) => new("mutual_aid_consent",
        "You are asked to work at another organisation",
        $"{organisation} has been asked whether you can work at another organisation from {Date(start)} to {Date(end)}. Nobody is deployed without their consent: sign in to accept or decline."
        + SignIn(Link(WebPages.MyMutualAid(memberId))));

    public MessageContent Rejected(string organisation, string type, Guid staffId) => new("credential_rejected",
        "A member of staff rejected a credential",
        $"A member of staff of {organisation} has rejected a {CredentialType(type)} credential offered to them. Sign in to see their reason and resolve it."
        + SignIn(Link(WebPages.StaffPassport(staffId))));

    public MessageContent ApprovalNeeded(string organisation, Guid deploymentId, DateOnly start, DateOnly end) => new("deployment_approval",
        "A deployment needs your approval",
        $"Another organisation has asked to deploy a member of staff of {organisation} from {Date(start)} to {Date(end)}. It needs your approval before it starts."
        + SignIn(Link(WebPages.HomeDeployment(deploymentId))));

    public MessageContent Flagged(string organisation, Guid deploymentId) => new("deployment_flagged",
        "A deployment of your staff was flagged",
        $"A deployment of a member of staff of {organisation} has been flagged because one of their credentials needs attention. Sign in to see the deployment."
        + SignIn(Link(WebPages.HomeDeployment(deploymentId))));

    public MessageContent HostRaisedAid(string organisation, string host, int asked, DateOnly start, DateOnly end, Guid requestId) => new("mutual_aid_raised_by_host",
        "Another organisation has asked for your staff in mutual aid",
        $"{host} has asked for {People(asked)} of {organisation} to work with them from {Date(start)} to {Date(end)}, as your workforce sharing agreement allows. "
        + $"Each person has been asked for their consent; nobody is deployed without it. Sign in to follow the request."
        + SignIn(Link(WebPages.MutualAidRequest(requestId))));

    private static string People(int count) => count == 1 ? "1 member of staff" : $"{count} members of staff";

    private static string Credentials(int count) => count == 1 ? "a credential" : $"{count} credentials";

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}

/// <summary>Where a member of staff is told: their organisation (code and name) and the addresses on its record.</summary>
internal sealed record StaffAddress(string OdsCode, string Organisation, string? Email, string? Mobile);
