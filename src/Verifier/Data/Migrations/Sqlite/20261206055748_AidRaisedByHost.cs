using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AidRaisedByHost : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hosted_aid_raises",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    HomeOdsCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgreementVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    End = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RaisedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Named = table.Column<int>(type: "INTEGER", nullable: false),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Asked = table.Column<int>(type: "INTEGER", nullable: true),
                    NotFound = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    NotFoundCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_aid_raises", x => x.RequestId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_aid_raises_HostOdsCode_RaisedAt",
                table: "hosted_aid_raises",
                columns: new[] { "HostOdsCode", "RaisedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hosted_aid_raises");
        }
    }
}
