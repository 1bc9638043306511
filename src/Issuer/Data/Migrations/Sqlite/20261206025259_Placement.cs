using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Placement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HolderKeyThumbprint",
                table: "Offers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "placements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    DeploymentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VisitorId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HomeOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Department = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    End = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    HolderKeyThumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CredentialId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OfferId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProtectedTxCode = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    WithdrawnReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    WithdrawnAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_placements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "visitors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    HomeOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    HomeStaffId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GivenName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    FamilyName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_visitors", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_placements_DeploymentId",
                table: "placements",
                column: "DeploymentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_placements_HostOdsCode_State",
                table: "placements",
                columns: new[] { "HostOdsCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_placements_VisitorId",
                table: "placements",
                column: "VisitorId");

            migrationBuilder.CreateIndex(
                name: "IX_visitors_HostOdsCode_HomeOdsCode_HomeStaffId",
                table: "visitors",
                columns: new[] { "HostOdsCode", "HomeOdsCode", "HomeStaffId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "placements");

            migrationBuilder.DropTable(
                name: "visitors");

            migrationBuilder.DropColumn(
                name: "HolderKeyThumbprint",
                table: "Offers");
        }
    }
}
