using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IssuerHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "WalletNotifications",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_WalletNotifications_KeyId",
                table: "WalletNotifications",
                column: "KeyId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WalletNotifications_KeyId",
                table: "WalletNotifications");

            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "WalletNotifications");
        }
    }
}
