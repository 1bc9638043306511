using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DecisionsAsData : Migration
    {
        // PostgreSQL has no implicit cast from text to jsonb: the USING clause converts every existing row. The JSON keeps its
        // shape (camelCase outcomes), so decisions recorded before read as they did.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE verifier.decisions ALTER COLUMN "Requirements" TYPE jsonb USING "Requirements"::jsonb;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE verifier.decisions ALTER COLUMN "Requirements" TYPE text USING "Requirements"::text;""");
        }
    }
}
