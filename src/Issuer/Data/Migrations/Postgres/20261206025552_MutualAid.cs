using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MutualAid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mutual_aid_members",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    HomeOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    Consent = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnswerMethod = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    AnswerRecordedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    PresentationRequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    WalletLink = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    WalletLinkExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecisionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Accepted = table.Column<bool>(type: "boolean", nullable: true),
                    UnmetRequirements = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Refusal = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mutual_aid_members", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mutual_aid_requests",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HomeOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    HostOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    RaisedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mutual_aid_requests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mutual_aid_members_HomeOdsCode_StaffId",
                schema: "issuer",
                table: "mutual_aid_members",
                columns: new[] { "HomeOdsCode", "StaffId" });

            migrationBuilder.CreateIndex(
                name: "IX_mutual_aid_members_RequestId_StaffId",
                schema: "issuer",
                table: "mutual_aid_members",
                columns: new[] { "RequestId", "StaffId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mutual_aid_requests_HomeOdsCode",
                schema: "issuer",
                table: "mutual_aid_requests",
                column: "HomeOdsCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mutual_aid_members",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "mutual_aid_requests",
                schema: "issuer");
        }
    }
}
