using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Placement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HolderKeyThumbprint",
                table: "deployments",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HolderKeyThumbprint",
                table: "decisions",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HolderKeyThumbprint",
                table: "deployments");

            migrationBuilder.DropColumn(
                name: "HolderKeyThumbprint",
                table: "decisions");
        }
    }
}
