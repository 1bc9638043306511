using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MutualAid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hosted_aid_members",
                schema: "verifier",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    HostOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    HomeOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    ConsentedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PresentationRequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    DecisionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Accepted = table.Column<bool>(type: "boolean", nullable: true),
                    Refusal = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DeploymentId = table.Column<Guid>(type: "uuid", nullable: true),
                    StartProblem = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_aid_members", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosted_aid_starts",
                schema: "verifier",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    HostOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    HostSite = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_aid_starts", x => x.RequestId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_aid_members_HostOdsCode_RequestId",
                schema: "verifier",
                table: "hosted_aid_members",
                columns: new[] { "HostOdsCode", "RequestId" });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_aid_members_PresentationRequestId",
                schema: "verifier",
                table: "hosted_aid_members",
                column: "PresentationRequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosted_aid_starts_CompletedAt",
                schema: "verifier",
                table: "hosted_aid_starts",
                column: "CompletedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hosted_aid_members",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "hosted_aid_starts",
                schema: "verifier");
        }
    }
}
