using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditNoticesProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agreement_audit",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Before = table.Column<string>(type: "TEXT", nullable: true),
                    After = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agreement_audit", x => x.Id);
                    table.ForeignKey(
                        name: "FK_agreement_audit_agreements_AgreementId",
                        column: x => x.AgreementId,
                        principalTable: "agreements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "status_notices",
                columns: table => new
                {
                    IssuerOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CredentialId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StatusListUri = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    StatusIndex = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<byte>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_status_notices", x => new { x.IssuerOdsCode, x.CredentialId });
                });

            migrationBuilder.CreateTable(
                name: "verifier_profiles",
                columns: table => new
                {
                    OdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ClientCertificate = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_verifier_profiles", x => x.OdsCode);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agreement_audit_AgreementId_Version",
                table: "agreement_audit",
                columns: new[] { "AgreementId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_status_notices_StatusListUri_StatusIndex",
                table: "status_notices",
                columns: new[] { "StatusListUri", "StatusIndex" });

            // Agreements recorded before the audit existed: each version becomes its entry, with the version before it.
            migrationBuilder.Sql("""
                INSERT INTO agreement_audit ("Id", "OdsCode", "AgreementId", "Version", "Action", "Actor", "At", "Before", "After")
                SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21, 12),
                       "OdsCode", "AgreementId", "Version", "Action", "CreatedBy", "CreatedAt", "Before", "Document"
                FROM (
                    SELECT hex(randomblob(16)) AS h, a."OdsCode", v."AgreementId", v."Version",
                           CASE WHEN v."Version" = 1 THEN 'created' ELSE 'updated' END AS "Action", v."CreatedBy", v."CreatedAt",
                           p."Document" AS "Before", v."Document"
                    FROM agreement_versions v
                    JOIN agreements a ON a."Id" = v."AgreementId"
                    LEFT JOIN agreement_versions p ON p."AgreementId" = v."AgreementId" AND p."Version" = v."Version" - 1);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agreement_audit");

            migrationBuilder.DropTable(
                name: "status_notices");

            migrationBuilder.DropTable(
                name: "verifier_profiles");
        }
    }
}
