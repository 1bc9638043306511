using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DecisionAndDeploymentPersonNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FamilyName",
                schema: "verifier",
                table: "deployments",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GivenName",
                schema: "verifier",
                table: "deployments",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FamilyName",
                schema: "verifier",
                table: "decisions",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GivenName",
                schema: "verifier",
                table: "decisions",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FamilyName",
                schema: "verifier",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "GivenName",
                schema: "verifier",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "FamilyName",
                schema: "verifier",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "GivenName",
                schema: "verifier",
                table: "decisions");
        }
    }
}
