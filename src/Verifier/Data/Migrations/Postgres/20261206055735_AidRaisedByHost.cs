using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AidRaisedByHost : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "hosted_aid_raises",
                schema: "verifier",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    HostOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    HomeOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    AgreementVersion = table.Column<int>(type: "integer", nullable: false),
                    Role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    RaisedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Named = table.Column<int>(type: "integer", nullable: false),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Asked = table.Column<int>(type: "integer", nullable: true),
                    NotFound = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    NotFoundCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosted_aid_raises", x => x.RequestId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_hosted_aid_raises_HostOdsCode_RaisedAt",
                schema: "verifier",
                table: "hosted_aid_raises",
                columns: new[] { "HostOdsCode", "RaisedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hosted_aid_raises",
                schema: "verifier");
        }
    }
}
