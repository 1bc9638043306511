using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HostedWallet : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hosted_credentials",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WalletId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CredentialId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SdJwt = table.Column<string>(type: "TEXT", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StoredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_credentials", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosted_presentations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WalletId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VerifierName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    VerifierClientId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ResponseUri = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Credentials = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Disclosed = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    ConsentMethod = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ConsentGivenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PresentedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PresentedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_presentations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosted_wallets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PublicJwk = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ProtectedPrivateKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_wallets", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_credentials_CredentialId",
                table: "hosted_credentials",
                column: "CredentialId");

            migrationBuilder.CreateIndex(
                name: "IX_hosted_credentials_KeyId",
                table: "hosted_credentials",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_hosted_credentials_WalletId_CredentialId",
                table: "hosted_credentials",
                columns: new[] { "WalletId", "CredentialId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosted_presentations_OdsCode_StaffId_PresentedAt",
                table: "hosted_presentations",
                columns: new[] { "OdsCode", "StaffId", "PresentedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_wallets_OdsCode_StaffId",
                table: "hosted_wallets",
                columns: new[] { "OdsCode", "StaffId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hosted_credentials");

            migrationBuilder.DropTable(
                name: "hosted_presentations");

            migrationBuilder.DropTable(
                name: "hosted_wallets");
        }
    }
}
