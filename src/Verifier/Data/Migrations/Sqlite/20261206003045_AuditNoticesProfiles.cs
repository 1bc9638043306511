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
