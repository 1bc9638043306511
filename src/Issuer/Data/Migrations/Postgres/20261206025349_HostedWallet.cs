using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HostedWallet : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hosted_credentials",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WalletId = table.Column<Guid>(type: "uuid", nullable: false),
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: false),
                    SdJwt = table.Column<string>(type: "text", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    StoredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_credentials", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosted_presentations",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WalletId = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    VerifierName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    VerifierClientId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ResponseUri = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Credentials = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Disclosed = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    ConsentMethod = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ConsentGivenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PresentedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PresentedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_presentations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosted_wallets",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    PublicJwk = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    ProtectedPrivateKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_wallets", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_credentials_CredentialId",
                schema: "issuer",
                table: "hosted_credentials",
                column: "CredentialId");

            migrationBuilder.CreateIndex(
                name: "IX_hosted_credentials_KeyId",
                schema: "issuer",
                table: "hosted_credentials",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_hosted_credentials_WalletId_CredentialId",
                schema: "issuer",
                table: "hosted_credentials",
                columns: new[] { "WalletId", "CredentialId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosted_presentations_OdsCode_StaffId_PresentedAt",
                schema: "issuer",
                table: "hosted_presentations",
                columns: new[] { "OdsCode", "StaffId", "PresentedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_wallets_OdsCode_StaffId",
                schema: "issuer",
                table: "hosted_wallets",
                columns: new[] { "OdsCode", "StaffId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hosted_credentials",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "hosted_presentations",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "hosted_wallets",
                schema: "issuer");
        }
    }
}
