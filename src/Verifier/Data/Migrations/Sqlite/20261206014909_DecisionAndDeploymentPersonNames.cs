using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DecisionAndDeploymentPersonNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FamilyName",
                table: "deployments",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GivenName",
                table: "deployments",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FamilyName",
                table: "decisions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GivenName",
                table: "decisions",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FamilyName",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "GivenName",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "FamilyName",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "GivenName",
                table: "decisions");
        }
    }
}
