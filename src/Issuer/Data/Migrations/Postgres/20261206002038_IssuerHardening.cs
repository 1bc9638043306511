using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IssuerHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                schema: "issuer",
                table: "WalletNotifications",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_WalletNotifications_KeyId",
                schema: "issuer",
                table: "WalletNotifications",
                column: "KeyId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WalletNotifications_KeyId",
                schema: "issuer",
                table: "WalletNotifications");

            migrationBuilder.DropColumn(
                name: "KeyId",
                schema: "issuer",
                table: "WalletNotifications");
        }
    }
}
