using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MutualAid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mutual_aid_members",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HomeOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Consent = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AnswerMethod = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    AnswerRecordedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    PresentationRequestId = table.Column<Guid>(type: "TEXT", nullable: true),
                    WalletLink = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    WalletLinkExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Accepted = table.Column<bool>(type: "INTEGER", nullable: true),
                    UnmetRequirements = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Refusal = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mutual_aid_members", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mutual_aid_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HomeOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    HostOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    End = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RaisedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mutual_aid_requests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mutual_aid_members_HomeOdsCode_StaffId",
                table: "mutual_aid_members",
                columns: new[] { "HomeOdsCode", "StaffId" });

            migrationBuilder.CreateIndex(
                name: "IX_mutual_aid_members_RequestId_StaffId",
                table: "mutual_aid_members",
                columns: new[] { "RequestId", "StaffId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mutual_aid_requests_HomeOdsCode",
                table: "mutual_aid_requests",
                column: "HomeOdsCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mutual_aid_members");

            migrationBuilder.DropTable(
                name: "mutual_aid_requests");
        }
    }
}
