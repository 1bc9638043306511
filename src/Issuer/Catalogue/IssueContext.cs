using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;

namespace Passport.Issuer.Catalogue;

/// <summary>What a credential's claims may draw on besides the input: the records and the moment of issuance.</summary>
internal sealed record IssueContext(Organisation Organisation, StaffMember Staff, DateTimeOffset Now, string Actor, CatalogueOptions Options)
{
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);
}
