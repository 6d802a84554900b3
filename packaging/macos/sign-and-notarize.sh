#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes the macOS disk image and, when the project has certificates, signs and notarises it:
#   bash packaging/macos/sign-and-notarize.sh BUILD_DIR OUTPUT_DIR
# Signing (the bundle, inside CPack by packaging/macos/codesign.cmake) needs
#   MACOS_CERTIFICATE_P12 (base64), MACOS_CERTIFICATE_PASSWORD, MACOS_SIGNING_IDENTITY
# Notarisation (the .dmg, then stapled) additionally needs
#   MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_TEAM_ID, MACOS_NOTARY_PASSWORD (an app-specific password)
# Missing secrets skip the step with a message; the unsigned .dmg is still made.
set -euo pipefail
build=${1:?usage: sign-and-notarize.sh BUILD_DIR OUTPUT_DIR}
out=${2:?usage: sign-and-notarize.sh BUILD_DIR OUTPUT_DIR}
mkdir -p "${out}"

keychain=""
cleanup() {
    if [[ -n "${keychain}" ]]; then security delete-keychain "${keychain}" 2>/dev/null || true; fi
}
trap cleanup EXIT

if [[ -n "${MACOS_CERTIFICATE_P12:-}" && -n "${MACOS_CERTIFICATE_PASSWORD:-}" \
      && -n "${MACOS_SIGNING_IDENTITY:-}" ]]; then
    # A throw-away keychain holding only the Developer ID certificate.
    keychain=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/zaibridge-signing.keychain-db
    kc_password=$(uuidgen)
    security create-keychain -p "${kc_password}" "${keychain}"
    security set-keychain-settings -lut 3600 "${keychain}"
    security unlock-keychain -p "${kc_password}" "${keychain}"
    p12=$(mktemp)
    printf '%s' "${MACOS_CERTIFICATE_P12}" | base64 --decode >"${p12}"
    security import "${p12}" -k "${keychain}" -P "${MACOS_CERTIFICATE_PASSWORD}" -T /usr/bin/codesign
    rm -f "${p12}"
    security set-key-partition-list -S apple-tool:,apple: -s -k "${kc_password}" "${keychain}" >/dev/null
    # The new keychain first in the search list, the existing ones after it.
    read -r -a existing < <(security list-keychains -d user | tr -d '"' | tr '\n' ' ')
    security list-keychains -d user -s "${keychain}" "${existing[@]}"
    echo "signing: with '${MACOS_SIGNING_IDENTITY}'"
else
    echo "signing: no certificate secrets (MACOS_CERTIFICATE_P12, MACOS_CERTIFICATE_PASSWORD," \
         "MACOS_SIGNING_IDENTITY): the disk image will be unsigned"
    unset MACOS_SIGNING_IDENTITY
fi

cpack --config "${build}/CPackConfig.cmake" -G DragNDrop -B "${out}"
rm -rf "${out}/_CPack_Packages"
dmg=$(ls "${out}"/*.dmg)

if [[ -n "${MACOS_SIGNING_IDENTITY:-}" && -n "${MACOS_NOTARY_APPLE_ID:-}" \
      && -n "${MACOS_NOTARY_TEAM_ID:-}" && -n "${MACOS_NOTARY_PASSWORD:-}" ]]; then
    codesign --force --timestamp --sign "${MACOS_SIGNING_IDENTITY}" "${dmg}"
    xcrun notarytool submit "${dmg}" --wait --apple-id "${MACOS_NOTARY_APPLE_ID}" \
        --team-id "${MACOS_NOTARY_TEAM_ID}" --password "${MACOS_NOTARY_PASSWORD}"
    xcrun stapler staple "${dmg}"
    echo "notarised and stapled: ${dmg}"
else
    echo "notarisation: skipped (needs the signing identity and MACOS_NOTARY_APPLE_ID," \
         "MACOS_NOTARY_TEAM_ID, MACOS_NOTARY_PASSWORD)"
fi
ls -l "${dmg}"
