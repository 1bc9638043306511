using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StatusListPermutationKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "PermutationKey",
                schema: "issuer",
                table: "status_lists",
                type: "bytea",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PermutationKey",
                schema: "issuer",
                table: "status_lists");
        }
    }
}
