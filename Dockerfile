# orchprep, Linux image. Packages the already-published tool: run `bash tasks/package.sh --rid linux-x64 --skip-vsix`
# (or the full script) first; this build COPYs artifacts/bin/linux-x64/ and needs no .NET SDK.
#   docker build -t orchprep:0.1.0 .
# orchprep is self-contained (its own .NET runtime inside the single file), so the base is runtime-deps:
# the native libraries .NET needs (ICU, OpenSSL, …) and nothing else.
# The base is a build argument so the image also builds offline against a local stand-in with the same packages
# (CI: a Debian bookworm rootfs from debootstrap, see .ci/container-test.sh and docs/packaging.md).
ARG RUNTIME_BASE=mcr.microsoft.com/dotnet/runtime-deps:10.0
FROM ${RUNTIME_BASE}

# runtime-deps has no Kerberos library on purpose (dotnet/dotnet-docker#6271): without it webService.auth: negotiate
# and SQL integrated auth fail with "Cannot load library libgssapi_krb5.so.2". About 3 MB; skipped when the base has it.
RUN if ! ls /usr/lib/*-linux-gnu/libgssapi_krb5.so.2 >/dev/null 2>&1; then \
      apt-get update && apt-get install -y --no-install-recommends libgssapi-krb5-2 && rm -rf /var/lib/apt/lists/*; \
    fi

ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="orchprep" \
      org.opencontainers.image.description="Pre-upgrade gate for System Center Orchestrator: runbooks drained, no program open or restart pending, a verified backup, the target's requirements met." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="NOASSERTION" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/runtime-deps:10.0"

COPY artifacts/bin/linux-x64/orchprep /app/orchprep

# The .NET images define the unprivileged user "app" (UID 1654); run as that, never as root.
USER app
# Mount the config and a report folder here: docker run -v "$PWD:/work:ro" … (see docs/packaging.md).
WORKDIR /work

# `orchprep gate serve` (the approval gate) listens here when run with -e ORCHPREP_GATE_URLS=http://+:8080;
# GET /healthz answers it is up (docs/gates.md).
EXPOSE 8080

ENTRYPOINT ["/app/orchprep"]
CMD ["check"]
