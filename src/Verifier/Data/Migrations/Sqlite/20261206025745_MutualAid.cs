using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MutualAid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hosted_aid_members",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    HomeOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    End = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ConsentedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PresentationRequestId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Accepted = table.Column<bool>(type: "INTEGER", nullable: true),
                    Refusal = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeploymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StartProblem = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_aid_members", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosted_aid_starts",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    HostSite = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_aid_starts", x => x.RequestId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_aid_members_HostOdsCode_RequestId",
                table: "hosted_aid_members",
                columns: new[] { "HostOdsCode", "RequestId" });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_aid_members_PresentationRequestId",
                table: "hosted_aid_members",
                column: "PresentationRequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosted_aid_starts_CompletedAt",
                table: "hosted_aid_starts",
                column: "CompletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hosted_aid_members");

            migrationBuilder.DropTable(
                name: "hosted_aid_starts");
        }
    }
}
