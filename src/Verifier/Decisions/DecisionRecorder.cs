using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;

namespace Passport.Verifier.Decisions;

internal static class DecisionRecorder
{
    /// <summary>Adds the decision and its <see cref="PresentationVerified"/> event; they commit together with the caller's SaveChanges.</summary>
    public static Decision Add(VerifierDbContext db, Decided decided)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(decided);
        db.Set<Decision>().Add(decided.Decision);
        db.Set<OutboxMessage>().Add(decided.Event);
        return decided.Decision;
    }

    /// <summary>The decision and its <see cref="PresentationVerified"/> outbox row, not yet added to anything.</summary>
    public static Decided Create(
        DecisionAsked asked, Evaluation evaluation, DateTimeOffset now, IReadOnlyList<PresentedCredential> credentials, HostedWalletRoute? hosted)
    {
        // The person is named only when every verified credential that names someone names the same one.
        var named = credentials.Where(c => c.State == CredentialState.Verified && c.Subject is not null)
            .Select(c => (c.Issuer, Sub: c.Subject!)).Distinct().ToList();
        var (subjectIssuer, subject) = named.Count == 1 ? named[0] : (null, null);
        var (givenName, familyName) = PersonName.Of(credentials);
        var holderKeys = credentials.Where(c => c.State == CredentialState.Verified && c.HolderKey is not null)
            .Select(c => c.HolderKey!).Distinct(StringComparer.Ordinal).ToList();
        var agreement = asked.Agreement;
        var decision = new Decision
        {
            OdsCode = agreement.OdsCode, RequestId = asked.RequestId, AgreementId = agreement.Id, AgreementVersion = agreement.Version,
            Role = asked.Role.Role, Start = asked.Start, End = asked.End, Accepted = evaluation.Accepted, Nonce = asked.Nonce, Source = asked.Source,
            DecidedBy = asked.DecidedBy, DecidedAt = now,
            Requirements = DecisionJson.Outcomes(evaluation.Requirements),
            Subject = subject,
            SubjectIssuer = subjectIssuer,
            GivenName = givenName,
            FamilyName = familyName,
            HolderKeyThumbprint = holderKeys.Count == 1 ? holderKeys[0] : null,
            HostedBy = hosted?.HostedBy,
            ConsentMethod = hosted?.ConsentMethod,
            ConsentGivenAt = hosted?.ConsentGivenAt,
            ConsentRecordedBy = hosted?.ConsentRecordedBy,
        };
        return new Decided(decision, OutboxModel.NewOutboxMessage(new PresentationVerified
        {
            DecisionId = decision.Id,
            VerifierOdsCode = agreement.OdsCode,
            AgreementId = agreement.Id,
            AgreementVersion = agreement.Version,
            Accepted = evaluation.Accepted,
            VerifiedAt = now,
        }, now));
    }
}

/// <summary>A decision and the outbox row of its event, which are stored together or not at all.</summary>
internal sealed record Decided(Decision Decision, OutboxMessage Event);
