# migcheck in a container: an image holding nothing but the fully static binary.
#
#   docker build -t migcheck .
#   docker run --rm -v "$PWD:/work" migcheck plan.json
#
# The build stage runs on the build machine's own platform and cross-compiles for the target
# platform with the Static Linux SDK (musl), so a multi-platform build (linux/amd64 and
# linux/arm64, as the release workflow publishes) needs no emulation. The binary links
# everything in: the final stage is `scratch`, with no shell, no package manager and no libc.

# The Swift image CI uses (ci.yml), pinned by its release tag as there (no digest could be
# looked up where this was written; Dependabot's docker updates keep the tag current).
FROM --platform=$BUILDPLATFORM swift:6.3.1-noble AS build
# The Static Linux SDK for Swift 6.3.1 and its SHA-256, as published on swift.org (swift-org-
# website _data/builds/swift_releases.yml); `swift sdk install` refuses a bundle that differs.
ARG SWIFT_SDK_URL=https://download.swift.org/swift-6.3.1-release/static-sdk/swift-6.3.1-RELEASE/swift-6.3.1-RELEASE_static-linux-0.1.0.artifactbundle.tar.gz
ARG SWIFT_SDK_CHECKSUM=fac05271c1f7d060bd203240ce5251d5ca902d30ac899f553765dbb3a88b97ad
ARG TARGETARCH
# The commit `migcheck --version` names (the context has no .git); the release workflow passes
# it. Unset, the binary says "unknown commit".
ARG MIGCHECK_BUILD_COMMIT=
RUN swift sdk install "$SWIFT_SDK_URL" --checksum "$SWIFT_SDK_CHECKSUM"
WORKDIR /src
COPY Package.swift ./
COPY Plugins ./Plugins
COPY Sources ./Sources
# The manifest's test targets need their directories, or SwiftPM reads Sources/ as their
# sources ("overlapping sources"); the tests themselves stay out of the context, all but the
# small support target the manifest declares as a regular target.
COPY Tests/MigCheckTestSupport ./Tests/MigCheckTestSupport
RUN mkdir -p Tests/MigCheckFoundationTests Tests/MigCheckReadingTests Tests/MigCheckPictureTests \
        Tests/MigCheckRulesTests Tests/MigCheckReportsTests Tests/MigCheckCLITests
RUN case "$TARGETARCH" in \
        amd64) arch=x86_64 ;; \
        arm64) arch=aarch64 ;; \
        *) echo "no Static Linux SDK target for $TARGETARCH" >&2; exit 1 ;; \
    esac \
    && swift build -c release --product migcheck --swift-sdk "$arch-swift-linux-musl" \
    && install -D -m 0755 "$(swift build -c release --swift-sdk "$arch-swift-linux-musl" --show-bin-path)/migcheck" /out/migcheck

FROM scratch
LABEL org.opencontainers.image.title="migcheck" \
      org.opencontainers.image.description="Checks a Terraform plan of an Aurora PostgreSQL migration against its runbook phase" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/migcheck/migcheck"
COPY --from=build /out/migcheck /usr/local/bin/migcheck
COPY LICENSE /usr/share/doc/migcheck/LICENSE
# Not root: the numeric id of distroless's "nonroot" (scratch has no /etc/passwd to name one).
USER 65532:65532
ENV PATH=/usr/local/bin
WORKDIR /work
ENTRYPOINT ["migcheck"]
