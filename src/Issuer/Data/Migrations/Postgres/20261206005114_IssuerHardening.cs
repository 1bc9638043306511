using System;
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
            migrationBuilder.DropIndex(
                name: "IX_Staff_OdsCode_Subject",
                schema: "issuer",
                table: "Staff");

            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                schema: "issuer",
                table: "WalletNotifications",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "EnrolmentCodeExpiresAt",
                schema: "issuer",
                table: "Staff",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EnrolmentCodeHash",
                schema: "issuer",
                table: "Staff",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Content",
                schema: "issuer",
                table: "ImportJobs",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            // Ended imports no longer keep their file (completed = 2, failed = 3).
            migrationBuilder.Sql("UPDATE issuer.\"ImportJobs\" SET \"Content\" = NULL WHERE \"State\" IN (2, 3);");

            migrationBuilder.CreateIndex(
                name: "IX_WalletNotifications_KeyId",
                schema: "issuer",
                table: "WalletNotifications",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_Staff_OdsCode_EnrolmentCodeHash",
                schema: "issuer",
                table: "Staff",
                columns: new[] { "OdsCode", "EnrolmentCodeHash" });

            migrationBuilder.CreateIndex(
                name: "IX_Staff_OdsCode_Subject",
                schema: "issuer",
                table: "Staff",
                columns: new[] { "OdsCode", "Subject" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WalletNotifications_KeyId",
                schema: "issuer",
                table: "WalletNotifications");

            migrationBuilder.DropIndex(
                name: "IX_Staff_OdsCode_EnrolmentCodeHash",
                schema: "issuer",
                table: "Staff");

            migrationBuilder.DropIndex(
                name: "IX_Staff_OdsCode_Subject",
                schema: "issuer",
                table: "Staff");

            migrationBuilder.DropColumn(
                name: "KeyId",
                schema: "issuer",
                table: "WalletNotifications");

            migrationBuilder.DropColumn(
                name: "EnrolmentCodeExpiresAt",
                schema: "issuer",
                table: "Staff");

            migrationBuilder.DropColumn(
                name: "EnrolmentCodeHash",
                schema: "issuer",
                table: "Staff");

            migrationBuilder.AlterColumn<string>(
                name: "Content",
                schema: "issuer",
                table: "ImportJobs",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Staff_OdsCode_Subject",
                schema: "issuer",
                table: "Staff",
                columns: new[] { "OdsCode", "Subject" });
        }
    }
}
