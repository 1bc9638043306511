using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HostedWallet : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ConsentGivenAt",
                table: "decisions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsentMethod",
                table: "decisions",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsentRecordedBy",
                table: "decisions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HostedBy",
                table: "decisions",
                type: "TEXT",
                maxLength: 300,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ConsentGivenAt",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "ConsentMethod",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "ConsentRecordedBy",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "HostedBy",
                table: "decisions");
        }
    }
}
