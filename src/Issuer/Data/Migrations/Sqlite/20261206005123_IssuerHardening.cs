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
            migrationBuilder.DropIndex(
                name: "IX_Staff_OdsCode_Subject",
                table: "Staff");

            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "WalletNotifications",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EnrolmentCodeExpiresAt",
                table: "Staff",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EnrolmentCodeHash",
                table: "Staff",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Content",
                table: "ImportJobs",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT");

            // Ended imports no longer keep their file (completed = 2, failed = 3).
            migrationBuilder.Sql("UPDATE \"ImportJobs\" SET \"Content\" = NULL WHERE \"State\" IN (2, 3);");

            migrationBuilder.CreateIndex(
                name: "IX_WalletNotifications_KeyId",
                table: "WalletNotifications",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_Staff_OdsCode_EnrolmentCodeHash",
                table: "Staff",
                columns: new[] { "OdsCode", "EnrolmentCodeHash" });

            migrationBuilder.CreateIndex(
                name: "IX_Staff_OdsCode_Subject",
                table: "Staff",
                columns: new[] { "OdsCode", "Subject" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WalletNotifications_KeyId",
                table: "WalletNotifications");

            migrationBuilder.DropIndex(
                name: "IX_Staff_OdsCode_EnrolmentCodeHash",
                table: "Staff");

            migrationBuilder.DropIndex(
                name: "IX_Staff_OdsCode_Subject",
                table: "Staff");

            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "WalletNotifications");

            migrationBuilder.DropColumn(
                name: "EnrolmentCodeExpiresAt",
                table: "Staff");

            migrationBuilder.DropColumn(
                name: "EnrolmentCodeHash",
                table: "Staff");

            migrationBuilder.AlterColumn<string>(
                name: "Content",
                table: "ImportJobs",
                type: "TEXT",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Staff_OdsCode_Subject",
                table: "Staff",
                columns: new[] { "OdsCode", "Subject" });
        }
    }
}
