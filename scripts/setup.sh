#!/bin/sh
# Installs the Debian packages Kiln builds, runs and tests with, when any is missing.
set -eu

# libzstd-dev: LLVM's CMake package wants it for the static libraries kiln-llvm links.
PACKAGES="cmake make gcc pkg-config
llvm-19-dev libzstd-dev libzmq3-dev libjansson-dev libssl-dev libreadline-dev libcmocka-dev
python3-dev python3-numpy python3-pygments python3-jedi python3-pytest
python3-jupyter-client python3-ipykernel python3-numba
jupyter-nbconvert jupyter-notebook"

# One dpkg-query for all: this runs before every build and must stay quick.
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $PACKAGES 2>/dev/null |
    awk '$NF == "installed" { print $1 }')
missing=""
for p in $PACKAGES; do
    echo "$installed" | grep -qx "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "kiln: installing$missing"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
