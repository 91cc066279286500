# Shared by the scripts: install Debian/Ubuntu packages when missing.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  if [ -z "${HEARTH_APT_UPDATED:-}" ]; then
    as_root apt-get update -qq
    export HEARTH_APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# PostgreSQL's server programs, for the private cluster (unless DATABASE_URL is set).
ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then return; fi
  if command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    return
  fi
  echo "==> installing PostgreSQL's server package"
  apt_install postgresql
}

# The headless browser tests (tests/tests/e2e/chromium.rs): Debian's Chromium and
# ChromeDriver, and axe-core pinned in tests/browser/package-lock.json.
ensure_browser_tests() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    echo "==> installing Chromium and ChromeDriver"
    apt_install chromium chromium-driver
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "==> installing Node.js and npm"
    apt_install nodejs npm
  fi
  if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] \
    || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
    echo "==> installing the browser tests' npm packages"
    (cd tests/browser && npm ci --no-audit --no-fund)
  fi
}

# coturn's turnserver: the TURN relay of video sessions in `hearth dev` and in
# the video tests (admin/src/turn.rs starts it on loopback).
ensure_coturn() {
  if ! command -v turnserver >/dev/null 2>&1; then
    echo "==> installing coturn (the TURN server of video sessions)"
    apt_install coturn
  fi
}

# localstripe, the fake Stripe API of payments in `hearth dev` and in the tests
# (admin/src/localstripe.rs starts tools/localstripe/hearth_localstripe.py on
# loopback): a Python venv in .hearth/localstripe-venv holding
# tools/localstripe/requirements.txt, remade when that file changes.
ensure_localstripe() {
  local venv=.hearth/localstripe-venv
  local requirements=tools/localstripe/requirements.txt
  local marker="$venv/.installed"
  if [ -x "$venv/bin/python" ] && [ -f "$marker" ] && [ ! "$requirements" -nt "$marker" ]; then
    return
  fi
  echo "==> installing localstripe (the fake Stripe API) in $venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    rm -rf "$venv"
    mkdir -p .hearth
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
      rm -rf "$venv"
      if ! command -v python3 >/dev/null 2>&1; then apt_install python3; fi
      apt_install python3-venv
      python3 -m venv "$venv"
    fi
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
  touch "$marker"
}

# Clippy inside the build. `cargo clippy` sets these two variables and runs
# `cargo check`, which compiles every dependency a second time in check mode
# (about 400 crates). Set on `cargo build` and `cargo test` instead, they lint
# each workspace crate (lib, bins, tests, benches) while it compiles, with
# warnings as errors, and the dependencies are compiled once. Both scripts set
# the same values, so `./scripts/dev` reuses the build `./scripts/test` made.
lint_while_building() {
  if ! cargo clippy --version >/dev/null 2>&1; then
    echo "==> installing clippy"
    rustup component add clippy
  fi
  RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)"
  export RUSTC_WORKSPACE_WRAPPER
  export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
}

# Citus, for the Citus cluster of `./scripts/citus` and `hearth dev --citus`:
# built from vendor/citus/ (no registry here serves it) and installed into the
# machine's PostgreSQL when its citus.so is missing. About 3 minutes on 2 cores.
ensure_citus() {
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "==> installing PostgreSQL's server package"
    apt_install postgresql
  fi
  local major
  major="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  local pg_config="/usr/lib/postgresql/$major/bin/pg_config"
  if [ -x "$pg_config" ] && [ -f "$("$pg_config" --pkglibdir)/citus.so" ] \
    && [ -f "$("$pg_config" --sharedir)/extension/citus.control" ]; then
    return
  fi
  echo "==> building Citus from vendor/citus for PostgreSQL $major (about 3 minutes)"
  apt_install "postgresql-server-dev-$major" libcurl4-openssl-dev liblz4-dev libzstd-dev \
    libkrb5-dev libssl-dev libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev \
    autoconf flex make gcc
  local build="${HEARTH_CITUS_BUILD_DIR:-$HOME/.cache/hearth-citus-build}"
  local vendor="$PWD/vendor/citus"
  rm -rf "$build"
  mkdir -p "$build"
  tar -xzf "$vendor"/citus-*.tar.gz -C "$build" --strip-components=1
  (
    cd "$build"
    # PostgreSQL 15.14 and later define have_createdb_privilege() themselves.
    patch -s -p1 < "$vendor/pg15-minor-have_createdb_privilege.patch"
    PG_CONFIG="$pg_config" ./configure -q --without-libcurl >/dev/null
    make -s -j"$(nproc)" >/dev/null
    as_root make -s install >/dev/null
  )
  echo "==> Citus installed in $("$pg_config" --pkglibdir)"
}
