# Compares two HUMAnN-layout tables (gene families or pathways): same row names, values within
# 1e-9 (absolute, or relative for values above 1). '#' lines (headers) are ignored.
# Usage: awk -F'\t' -f compare.awk EXPECTED ACTUAL ; prints mismatches, exits 1 on any.
FNR == 1 { file++ }
/^#/ { next }
file == 1 { want[$1] = $2; nwant++; next }
{
    ngot++
    if (!($1 in want)) { print "extra row: " $1; bad++; next }
    d = $2 - want[$1]; if (d < 0) d = -d
    s = want[$1] < 0 ? -want[$1] : want[$1]; if (s < 1) s = 1
    if (d > 1e-9 * s) { print "differs: " $1 " expected " want[$1] " got " $2; bad++ }
    if (d > maxd) maxd = d
    seen[$1] = 1
}
END {
    for (k in want) if (!(k in seen)) { print "missing row: " k; bad++ }
    printf "%d rows expected, %d rows, max |diff| %.3g\n", nwant, ngot, maxd > "/dev/stderr"
    exit bad > 0
}
