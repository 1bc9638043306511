using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Passport.Issuer.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "issuer");

            migrationBuilder.CreateTable(
                name: "Audit",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: true),
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: true),
                    Action = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Audit", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Credentials",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    Type = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Vct = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Claims = table.Column<string>(type: "text", nullable: false),
                    SourceReference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    StatusListId = table.Column<int>(type: "integer", nullable: false),
                    StatusIndex = table.Column<int>(type: "integer", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SdJwt = table.Column<string>(type: "text", nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    StatusReason = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    StatusChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReplacesId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Credentials", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ImportJobs",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    Content = table.Column<string>(type: "text", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    TotalRows = table.Column<int>(type: "integer", nullable: false),
                    ProcessedRows = table.Column<int>(type: "integer", nullable: false),
                    Issued = table.Column<int>(type: "integer", nullable: false),
                    Unchanged = table.Column<int>(type: "integer", nullable: false),
                    StaffCreated = table.Column<int>(type: "integer", nullable: false),
                    StaffUpdated = table.Column<int>(type: "integer", nullable: false),
                    Failed = table.Column<int>(type: "integer", nullable: false),
                    LeaseOwner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    LeaseExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportJobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Nonces",
                schema: "issuer",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Nonces", x => x.Hash);
                });

            migrationBuilder.CreateTable(
                name: "Offers",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    CredentialIds = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    PreAuthorizedCodeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ProtectedPreAuthorizedCode = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    TxCodeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TxCodeLength = table.Column<int>(type: "integer", nullable: false),
                    TxCodeAttempts = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RedeemedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AccessTokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    AccessTokenExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Offers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Organisations",
                schema: "issuer",
                columns: table => new
                {
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Organisations", x => x.OdsCode);
                });

            migrationBuilder.CreateTable(
                name: "SigningKeys",
                schema: "issuer",
                columns: table => new
                {
                    Kid = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Provider = table.Column<int>(type: "integer", nullable: false),
                    PublicJwk = table.Column<string>(type: "text", nullable: false),
                    ProtectedPrivateKey = table.Column<byte[]>(type: "bytea", nullable: true),
                    KeyVaultKeyId = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActivatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SigningKeys", x => x.Kid);
                });

            migrationBuilder.CreateTable(
                name: "Staff",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    GivenName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FamilyName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DateOfBirth = table.Column<DateOnly>(type: "date", nullable: false),
                    AssignmentNumber = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    StaffGroup = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    JobTitle = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Registrations = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Staff", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WalletNotifications",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    OfferId = table.Column<Guid>(type: "uuid", nullable: false),
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: false),
                    NotificationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Event = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResolvedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Resolution = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WalletNotifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "expiry_alerts",
                schema: "issuer",
                columns: table => new
                {
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: false),
                    ThresholdDays = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_expiry_alerts", x => new { x.CredentialId, x.ThresholdDays });
                });

            migrationBuilder.CreateTable(
                name: "home_deployments",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HomeOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    HostOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    HostSite = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    RequiresApproval = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    History = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_home_deployments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "issuer",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_messages", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "issuer",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    trace_parent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "status_lists",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Size = table.Column<int>(type: "integer", nullable: false),
                    Bits = table.Column<int>(type: "integer", nullable: false),
                    Data = table.Column<byte[]>(type: "bytea", nullable: false),
                    Allocated = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Token = table.Column<string>(type: "text", nullable: true),
                    TokenVersion = table.Column<long>(type: "bigint", nullable: false),
                    TokenExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_status_lists", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "import_row_errors",
                schema: "issuer",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ImportJobId = table.Column<Guid>(type: "uuid", nullable: false),
                    Line = table.Column<int>(type: "integer", nullable: false),
                    Field = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_row_errors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_import_row_errors_ImportJobs_ImportJobId",
                        column: x => x.ImportJobId,
                        principalSchema: "issuer",
                        principalTable: "ImportJobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Audit_OdsCode_StaffId_At",
                schema: "issuer",
                table: "Audit",
                columns: new[] { "OdsCode", "StaffId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Credentials_ExpiresAt",
                schema: "issuer",
                table: "Credentials",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_Credentials_KeyId_ExpiresAt",
                schema: "issuer",
                table: "Credentials",
                columns: new[] { "KeyId", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Credentials_OdsCode_StaffId",
                schema: "issuer",
                table: "Credentials",
                columns: new[] { "OdsCode", "StaffId" });

            migrationBuilder.CreateIndex(
                name: "IX_Credentials_OdsCode_Type_SourceReference",
                schema: "issuer",
                table: "Credentials",
                columns: new[] { "OdsCode", "Type", "SourceReference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Credentials_ReplacesId",
                schema: "issuer",
                table: "Credentials",
                column: "ReplacesId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Credentials_StatusListId_StatusIndex",
                schema: "issuer",
                table: "Credentials",
                columns: new[] { "StatusListId", "StatusIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ImportJobs_State",
                schema: "issuer",
                table: "ImportJobs",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_Nonces_ExpiresAt",
                schema: "issuer",
                table: "Nonces",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_Offers_AccessTokenHash",
                schema: "issuer",
                table: "Offers",
                column: "AccessTokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Offers_OdsCode_StaffId",
                schema: "issuer",
                table: "Offers",
                columns: new[] { "OdsCode", "StaffId" });

            migrationBuilder.CreateIndex(
                name: "IX_Offers_PreAuthorizedCodeHash",
                schema: "issuer",
                table: "Offers",
                column: "PreAuthorizedCodeHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SigningKeys_OdsCode",
                schema: "issuer",
                table: "SigningKeys",
                column: "OdsCode");

            migrationBuilder.CreateIndex(
                name: "IX_SigningKeys_OdsCode_Active",
                schema: "issuer",
                table: "SigningKeys",
                column: "OdsCode",
                unique: true,
                filter: "\"RetiredAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Staff_OdsCode_AssignmentNumber",
                schema: "issuer",
                table: "Staff",
                columns: new[] { "OdsCode", "AssignmentNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Staff_OdsCode_Subject",
                schema: "issuer",
                table: "Staff",
                columns: new[] { "OdsCode", "Subject" });

            migrationBuilder.CreateIndex(
                name: "IX_WalletNotifications_NotificationId",
                schema: "issuer",
                table: "WalletNotifications",
                column: "NotificationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WalletNotifications_OdsCode_ResolvedAt",
                schema: "issuer",
                table: "WalletNotifications",
                columns: new[] { "OdsCode", "ResolvedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WalletNotifications_OfferId",
                schema: "issuer",
                table: "WalletNotifications",
                column: "OfferId");

            migrationBuilder.CreateIndex(
                name: "IX_home_deployments_HomeOdsCode_StaffId",
                schema: "issuer",
                table: "home_deployments",
                columns: new[] { "HomeOdsCode", "StaffId" });

            migrationBuilder.CreateIndex(
                name: "IX_import_row_errors_ImportJobId_Line",
                schema: "issuer",
                table: "import_row_errors",
                columns: new[] { "ImportJobId", "Line" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_message_id",
                schema: "issuer",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_sent_at",
                schema: "issuer",
                table: "outbox_messages",
                column: "sent_at",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_status_lists_OdsCode",
                schema: "issuer",
                table: "status_lists",
                column: "OdsCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Audit",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "Credentials",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "Nonces",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "Offers",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "Organisations",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "SigningKeys",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "Staff",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "WalletNotifications",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "expiry_alerts",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "home_deployments",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "import_row_errors",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "status_lists",
                schema: "issuer");

            migrationBuilder.DropTable(
                name: "ImportJobs",
                schema: "issuer");
        }
    }
}
