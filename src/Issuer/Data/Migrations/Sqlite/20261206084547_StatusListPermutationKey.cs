using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StatusListPermutationKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "PermutationKey",
                table: "status_lists",
                type: "BLOB",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PermutationKey",
                table: "status_lists");
        }
    }
}
