# syntax=docker/dockerfile:1
# Build from the repository root:  docker build -f deploy/web.Dockerfile -t passport-web:1.0.0 .
# The context filter is web.Dockerfile.dockerignore beside this file (BuildKit reads it in place of .dockerignore).
# The NHS.UK frontend's compiled files are vendored in src/Web/wwwroot, so the build needs no npm.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
# Restore first, from the project files alone, so that a source change does not invalidate the package layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Contracts/Contracts.csproj src/Contracts/
COPY src/Credentials/Credentials.csproj src/Credentials/
COPY src/Messaging/Messaging.csproj src/Messaging/
COPY src/Notifications/Notifications.csproj src/Notifications/
COPY src/ServiceDefaults/ServiceDefaults.csproj src/ServiceDefaults/
COPY src/Web/Web.csproj src/Web/
RUN dotnet restore src/Web/Web.csproj
COPY src/ src/
RUN dotnet publish src/Web/Web.csproj --configuration Release --no-restore --output /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1
EXPOSE 8080
# Where Web:DataProtectionKeysPath points in compose and Kubernetes (a volume there): the key ring that protects the
# sign-in, antiforgery and OpenID Connect correlation cookies, shared by every replica and kept across restarts.
RUN mkdir -p /var/lib/passport-web/keys && chown "$APP_UID:$APP_UID" /var/lib/passport-web/keys
# The non-root user the aspnet image defines (UID 1654), by number so that Kubernetes' runAsNonRoot can check it.
USER $APP_UID
# The image has no curl or wget: bash's /dev/tcp asks /health/live (is the process up) and reads the status line.
# Docker and compose use this; Kubernetes ignores it and uses the Deployment's httpGet probes instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ASPNETCORE_HTTP_PORTS%%[;,]*} && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == HTTP/1.?' 200 '* ]]"]
# The web front end has no database of its own: no `migrate`.
ENTRYPOINT ["dotnet", "Passport.Web.dll"]
