#!/usr/bin/env bash
# Installs every Debian bookworm package that building, running and testing Vicugna needs.
# Shared by the run command, the test command and CI; does nothing when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev            # Beast/Asio; never the 1.74 libboost-*-dev packages (they conflict)
  rapidjson-dev libpq-dev libsqlite3-dev libssl-dev libcrypt-dev libhiredis-dev
  libcurl4-openssl-dev libspdlog-dev libfmt-dev libcli11-dev libyaml-cpp-dev
  libhowardhinnant-date-dev libgtest-dev libgmock-dev libbenchmark-dev
  libgmime-3.0-dev libmagic-dev  # uploads: multipart parsing (GMime 3), MIME sniffing (libmagic)
  libgmime-3.0-0 libmagic1 libmagic-mgc  # their runtime libraries and libmagic's database
  libxml2-dev                 # the HTML parser for mentions and quotes in comments and descriptions
  postgresql-15 redis-server wrk
  python3 python3-pytest python3-requests python3-tenacity  # tenacity: the ops manual snippets (tests/api)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
