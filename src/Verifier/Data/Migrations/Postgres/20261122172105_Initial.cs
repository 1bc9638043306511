using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Passport.Verifier.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "verifier");

            migrationBuilder.CreateTable(
                name: "agreements",
                schema: "verifier",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CurrentVersion = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agreements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "decisions",
                schema: "verifier",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    AgreementVersion = table.Column<int>(type: "integer", nullable: false),
                    Role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    Accepted = table.Column<bool>(type: "boolean", nullable: false),
                    Nonce = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Subject = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SubjectIssuer = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Requirements = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_decisions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "deployments",
                schema: "verifier",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HostOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    HomeOdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: false),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    AgreementVersion = table.Column<int>(type: "integer", nullable: false),
                    DecisionId = table.Column<Guid>(type: "uuid", nullable: false),
                    HostSite = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    MaxDeploymentDays = table.Column<int>(type: "integer", nullable: false),
                    AgreementEndsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    HomeApprovalRequired = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DeclineReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    EndedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                schema: "verifier",
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
                schema: "verifier",
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
                name: "presentation_requests",
                schema: "verifier",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OdsCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    AgreementVersion = table.Column<int>(type: "integer", nullable: false),
                    Role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    Nonce = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ClientId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestObject = table.Column<string>(type: "text", nullable: false),
                    WebhookUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecisionId = table.Column<Guid>(type: "uuid", nullable: true),
                    WalletError = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_presentation_requests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "agreement_versions",
                schema: "verifier",
                columns: table => new
                {
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Document = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agreement_versions", x => new { x.AgreementId, x.Version });
                    table.ForeignKey(
                        name: "FK_agreement_versions_agreements_AgreementId",
                        column: x => x.AgreementId,
                        principalSchema: "verifier",
                        principalTable: "agreements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "deployment_credentials",
                schema: "verifier",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StatusListUri = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    StatusIndex = table.Column<long>(type: "bigint", nullable: false),
                    Vct = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    DeploymentId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployment_credentials", x => x.Id);
                    table.ForeignKey(
                        name: "FK_deployment_credentials_deployments_DeploymentId",
                        column: x => x.DeploymentId,
                        principalSchema: "verifier",
                        principalTable: "deployments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "deployment_flags",
                schema: "verifier",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    StatusListUri = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    StatusIndex = table.Column<long>(type: "bigint", nullable: false),
                    FlaggedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DeploymentId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployment_flags", x => x.Id);
                    table.ForeignKey(
                        name: "FK_deployment_flags_deployments_DeploymentId",
                        column: x => x.DeploymentId,
                        principalSchema: "verifier",
                        principalTable: "deployments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agreements_OdsCode",
                schema: "verifier",
                table: "agreements",
                column: "OdsCode");

            migrationBuilder.CreateIndex(
                name: "IX_decisions_OdsCode_AgreementId",
                schema: "verifier",
                table: "decisions",
                columns: new[] { "OdsCode", "AgreementId" });

            migrationBuilder.CreateIndex(
                name: "IX_decisions_OdsCode_Nonce",
                schema: "verifier",
                table: "decisions",
                columns: new[] { "OdsCode", "Nonce" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_decisions_RequestId",
                schema: "verifier",
                table: "decisions",
                column: "RequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deployment_credentials_DeploymentId",
                schema: "verifier",
                table: "deployment_credentials",
                column: "DeploymentId");

            migrationBuilder.CreateIndex(
                name: "IX_deployment_credentials_StatusListUri_StatusIndex",
                schema: "verifier",
                table: "deployment_credentials",
                columns: new[] { "StatusListUri", "StatusIndex" });

            migrationBuilder.CreateIndex(
                name: "IX_deployment_flags_DeploymentId",
                schema: "verifier",
                table: "deployment_flags",
                column: "DeploymentId");

            migrationBuilder.CreateIndex(
                name: "IX_deployments_DecisionId",
                schema: "verifier",
                table: "deployments",
                column: "DecisionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deployments_HostOdsCode_State",
                schema: "verifier",
                table: "deployments",
                columns: new[] { "HostOdsCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_message_id",
                schema: "verifier",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_sent_at",
                schema: "verifier",
                table: "outbox_messages",
                column: "sent_at",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_presentation_requests_Nonce",
                schema: "verifier",
                table: "presentation_requests",
                column: "Nonce",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_presentation_requests_OdsCode",
                schema: "verifier",
                table: "presentation_requests",
                column: "OdsCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agreement_versions",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "decisions",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "deployment_credentials",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "deployment_flags",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "inbox_messages",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "presentation_requests",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "agreements",
                schema: "verifier");

            migrationBuilder.DropTable(
                name: "deployments",
                schema: "verifier");
        }
    }
}
