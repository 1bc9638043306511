using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditNoticesProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agreement_audit",
                schema: "verifier",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Before = table.Column<string>(type: "text", nullable: true),
                    After = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agreement_audit", x => x.Id);
                    table.ForeignKey(
                        name: "FK_agreement_audit_agreements_AgreementId",
                        column: x => x.AgreementId,
                        principalSchema: "verifier",
                        principalTable: "agreements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "status_notices",
                schema: "verifier",
                columns: table => new
                {
                    IssuerOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: false),
                    StatusListUri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    StatusIndex = table.Column<long>(type: "bigint", nullable: true),
                    Status = table.Column<byte>(type: "smallint", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_status_notices", x => new { x.IssuerOdsCode, x.CredentialId });
                });

            migrationBuilder.CreateTable(
                name: "verifier_profiles",
                schema: "verifier",
                columns: table => new
                {
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ClientCertificate = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_verifier_profiles", x => x.OdsCode);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agreement_audit_AgreementId_Version",
                schema: "verifier",
                table: "agreement_audit",
                columns: new[] { "AgreementId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_status_notices_StatusListUri_StatusIndex",
                schema: "verifier",
                table: "status_notices",
                columns: new[] { "StatusListUri", "StatusIndex" });

            // Agreements recorded before the audit existed: each version becomes its entry, with the version before it.
            migrationBuilder.Sql("""
                INSERT INTO verifier.agreement_audit ("Id", "OdsCode", "AgreementId", "Version", "Action", "Actor", "At", "Before", "After")
                SELECT gen_random_uuid(), a."OdsCode", v."AgreementId", v."Version",
                       CASE WHEN v."Version" = 1 THEN 'created' ELSE 'updated' END, v."CreatedBy", v."CreatedAt", p."Document", v."Document"
                FROM verifier.agreement_versions v
                JOIN verifier.agreements a ON a."Id" = v."AgreementId"
                LEFT JOIN verifier.agreement_versions p ON p."AgreementId" = v."AgreementId" AND p."Version" = v."Version" - 1;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agreement_audit",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "status_notices",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "verifier_profiles",
                schema: "verifier");
        }
    }
}
