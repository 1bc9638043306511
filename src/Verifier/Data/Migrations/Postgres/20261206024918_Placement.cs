using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Placement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HolderKeyThumbprint",
                schema: "verifier",
                table: "deployments",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HolderKeyThumbprint",
                schema: "verifier",
                table: "decisions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HolderKeyThumbprint",
                schema: "verifier",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "HolderKeyThumbprint",
                schema: "verifier",
                table: "decisions");
        }
    }
}
