using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HostedWallet : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ConsentGivenAt",
                schema: "verifier",
                table: "decisions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsentMethod",
                schema: "verifier",
                table: "decisions",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsentRecordedBy",
                schema: "verifier",
                table: "decisions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HostedBy",
                schema: "verifier",
                table: "decisions",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ConsentGivenAt",
                schema: "verifier",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "ConsentMethod",
                schema: "verifier",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "ConsentRecordedBy",
                schema: "verifier",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "HostedBy",
                schema: "verifier",
                table: "decisions");
        }
    }
}
