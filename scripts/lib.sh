# Shared helpers for the scripts in this folder. Source it; it defines functions and sets nothing else.

# need_packages PKG... : installs the Debian packages that are missing when run as root, otherwise prints the exact
# command to run and fails. Every script calls this for what it needs, so a fresh machine sets itself up.
need_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "==> installing ${missing[*]}"
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -720 2>/dev/null | head -1)" ]; then
      apt-get update -qq
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages; run as root:  apt-get install -y ${missing[*]}" >&2
    return 1
  fi
}

# need_python_modules MODULE=PYPI_NAME... : installs missing Python modules with pip from PyPI, or, where pip is
# missing or refuses (a Debian python3), the python3-<name> Debian package when run as root.
need_python_modules() {
  local spec module package
  for spec in "$@"; do
    module=${spec%%=*}; package=${spec#*=}
    python3 -c "import $module" 2>/dev/null && continue
    [ "$module" = referencing ] && python3 -c "import jsonschema" 2>/dev/null && continue  # optional: older jsonschema resolves refs itself
    echo "==> pip install $package"
    if python3 -m pip install -q "$package" 2>/dev/null; then continue; fi
    if [ "$(id -u)" -eq 0 ]; then
      need_packages "python3-$package" && python3 -c "import $module" 2>/dev/null && continue
    fi
    echo "missing Python module $module; install it: python3 -m pip install $package (or apt-get install python3-$package)" >&2
    return 1
  done
}

# Release builds link the Swift runtime in (-static-stdlib), so the library needs no Swift installed, and optimise
# for size (-Osize): every call into the library is cold (one per WooCommerce action), where less code to load
# beats faster loops. scripts/build uses them; swift build and swift test (debug) do not.
RELEASE_FLAGS=(-c release -Xswiftc -static-stdlib -Xswiftc -Osize)

# Packages every build needs: libcurl's headers. The rest is named by each script.
BUILD_PACKAGES=(libcurl4-openssl-dev pkg-config)

# The Swift toolchain lives in /opt/swift on these machines; make sure a non-login shell finds it.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  PATH=/opt/swift/usr/bin:$PATH
fi

# start_sandbox FOLDER [sandbox args...] : starts the local Klarna sandbox on a free loopback port, stopped when the
# calling script exits; sets sandbox_url. The caller owns FOLDER (its trap removes it).
start_sandbox() {
  local folder=$1; shift
  python3 scripts/sandbox/klarna_sandbox.py --port 0 --port-file "$folder/port" --parent-pid $$ "$@" >/dev/null 2>&1 &
  sandbox_pid=$!
  for _ in $(seq 200); do [ -f "$folder/port" ] && break; sleep 0.05; done
  [ -f "$folder/port" ] || { echo "the Klarna sandbox did not start" >&2; return 1; }
  sandbox_url="http://127.0.0.1:$(cat "$folder/port")"
}
