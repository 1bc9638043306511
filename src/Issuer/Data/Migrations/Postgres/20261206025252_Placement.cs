using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Placement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HolderKeyThumbprint",
                schema: "issuer",
                table: "Offers",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "placements",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HostOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    DeploymentId = table.Column<Guid>(type: "uuid", nullable: false),
                    VisitorId = table.Column<Guid>(type: "uuid", nullable: false),
                    HomeOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    DecisionId = table.Column<Guid>(type: "uuid", nullable: true),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: true),
                    Department = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    HolderKeyThumbprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: true),
                    OfferId = table.Column<Guid>(type: "uuid", nullable: true),
                    ProtectedTxCode = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    WithdrawnReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    WithdrawnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_placements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "visitors",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HostOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    HomeOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    HomeStaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    GivenName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    FamilyName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_visitors", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_placements_DeploymentId",
                schema: "issuer",
                table: "placements",
                column: "DeploymentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_placements_HostOdsCode_State",
                schema: "issuer",
                table: "placements",
                columns: new[] { "HostOdsCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_placements_VisitorId",
                schema: "issuer",
                table: "placements",
                column: "VisitorId");

            migrationBuilder.CreateIndex(
                name: "IX_visitors_HostOdsCode_HomeOdsCode_HomeStaffId",
                schema: "issuer",
                table: "visitors",
                columns: new[] { "HostOdsCode", "HomeOdsCode", "HomeStaffId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "placements",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "visitors",
                schema: "issuer");

            migrationBuilder.DropColumn(
                name: "HolderKeyThumbprint",
                schema: "issuer",
                table: "Offers");
        }
    }
}
