#!/usr/bin/env bash
# Installs the system libraries the package links against, if any are missing.
# As root it runs apt-get; otherwise it prints the exact command to run and stops.
# Chromium (the page tests in headless Chromium) is installed too when run as root; without
# root a missing Chromium is only reported, and those tests skip, saying so.
set -euo pipefail

packages=(libgraphviz-dev graphviz libopenblas-dev libpng-dev pkg-config unzip zip bubblewrap)
if [ "$(id -u)" -eq 0 ]; then
    packages+=(chromium)
elif ! command -v chromium >/dev/null 2>&1; then
    echo "note: chromium is not installed; the page tests in headless Chromium will be skipped" \
         "(install it with: sudo apt-get install -y chromium)" >&2
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "error: swift is not on PATH; install Swift 6.2 or later (https://www.swift.org/install/linux/) first" >&2
    exit 1
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing system packages (${missing[*]}) and no apt-get to install them" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]}. Install them with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "Installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
