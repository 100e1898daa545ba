# syntax=docker/dockerfile:1
# One image recipe for both hosts; PROJECT names which (Users.Api or Users.Notifications). From the repository root:
#   docker build --build-arg PROJECT=Users.Api .
# (docker-compose.yml does this for the api and the worker.)

ARG PROJECT

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
RUN test -n "$PROJECT" || { echo "set --build-arg PROJECT=Users.Api or Users.Notifications" >&2; exit 1; }
WORKDIR /src

# Restore first, from the files that decide it, so the packages stay cached while only code changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig *.sln ./
# COPY flattens a glob: put each project file back in its folder (src/<Name>/<Name>.csproj).
COPY src/*/*.csproj ./src/
RUN for f in src/*.csproj; do d="src/$(basename "$f" .csproj)"; mkdir -p "$d" && mv "$f" "$d/"; done
RUN dotnet restore "src/$PROJECT/$PROJECT.csproj"

COPY src/ ./src/
# bin/ and obj/ of a host build would otherwise ride along and confuse the build (host paths).
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + \
 && dotnet publish "src/$PROJECT/$PROJECT.csproj" -c Release -o /app/publish -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ARG PROJECT
ENV APP_ASSEMBLY=${PROJECT}.dll
WORKDIR /app
COPY --from=build /app/publish ./
# The image's non-root user; Kestrel listens on 8080 (ASPNETCORE_HTTP_PORTS in the base image).
USER app
EXPOSE 8080
# A shell resolves the assembly name (the exec form reads no ENV); exec makes dotnet PID 1, so it gets the stop signal.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$APP_ASSEMBLY\" \"$@\"", "--"]
