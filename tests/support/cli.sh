# Shared helpers of the whole-process tests in tests/cli/ (sourced, not run; not a test itself).
# Gives: $tmp (a scratch directory removed on exit), $fail (0 until die is called), and
#   die MSG          record a failure and go on (the script ends with `exit $fail`)
#   run CMD...       run a command that must succeed; on failure print its output and exit 1
#   same FILE FILE   die unless the two files are identical after dropping '#' lines
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
run() { "$@" >"$tmp/log" 2>&1 || { echo "FAIL: $*"; cat "$tmp/log"; exit 1; }; }
same() {
    if ! diff <(grep -v '^#' "$1") <(grep -v '^#' "$2") >"$tmp/diff"; then die "$1 differs from $2"; head "$tmp/diff"; fi
}
