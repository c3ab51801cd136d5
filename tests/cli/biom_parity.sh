#!/usr/bin/env bash
# Parity with biom-format (Debian python3-biom-format 2.1.12): real tables converted by
# `orbiome table convert` to BIOM 2.1 HDF5 (.biom) and BIOM 1.0 JSON (.json) are loaded with
# biom.load_table and compared with the source files, parsed independently here in Python:
# same observation and sample ids in the same order, identical counts (exact float equality),
# identical taxonomy levels.
# Exit 77 (skip) when `import biom` fails or ../shared/data is absent.
# Usage: bash biom_parity.sh /path/to/orbiome   (env ORBIOME_SHARED_DATA)
set -u
BIN=${1:?usage: biom_parity.sh ORBIOME_BIN}
SHARED=${ORBIOME_SHARED_DATA:-}
PY=/usr/bin/python3
if [[ -z $SHARED || ! -d $SHARED/rr5 ]]; then echo "skip: shared data absent"; exit 77; fi
if ! "$PY" -c 'import biom' 2>/dev/null; then echo "skip: python3 biom-format not importable"; exit 77; fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# name | kind | table | taxonomy ("-" = none)
CASES="rr5_fecal|r_table|$SHARED/rr5/16S_fecal/otu_table.txt|$SHARED/rr5/16S_fecal/tax_table.txt
rr5_oral|r_table|$SHARED/rr5/16S_oral/otu_table.txt|$SHARED/rr5/16S_oral/tax_table.txt
globalpatterns|tsv|$SHARED/tables/phyloseq/GlobalPatterns_otu_table.tsv|$SHARED/tables/phyloseq/GlobalPatterns_taxonomy.tsv
glds72|genelab|$SHARED/formats/genelab/GLDS-72_amplicon/taxonomy-and-counts.tsv|-
glds286|metaphlan|$SHARED/formats/genelab/GLDS-286_metagenomics_example/GLDS-286-metaphlan-taxonomy.tsv|-"

fail=0
while IFS='|' read -r name kind table tax; do
    args=()
    [[ $tax != - ]] && args=(--taxonomy "$tax")
    for ext in biom json; do
        if ! "$BIN" table convert "$table" "$WORK/$name.$ext" "${args[@]}"; then
            echo "FAIL: orbiome table convert $name.$ext"; fail=1; continue
        fi
        if "$PY" - "$kind" "$table" "$tax" "$WORK/$name.$ext" <<'PYEOF'; then
import sys
import numpy as np
import biom

kind, table_path, tax_path, converted = sys.argv[1:5]
UNKNOWN = {"", "na", "nan", "unassigned", "none"}

def rows(path):
    with open(path, encoding="utf-8-sig") as f:
        return [l.rstrip("\r\n").split("\t") for l in f if l.strip() and not l.startswith("#")]

def levels_from_ranks(values):
    """Rank cells -> levels: trailing unknown cells dropped, inner unknown cells empty."""
    vals = [v.strip() for v in values]
    while vals and vals[-1].lower() in UNKNOWN:
        vals.pop()
    return ["" if v.lower() in UNKNOWN else v for v in vals]

r = rows(table_path)
header, data = r[0], r[1:]
obs_ids, taxonomy = [], {}
if kind == "r_table":        # header lacks the row-name cell
    samples = header
    obs_ids = [d[0] for d in data]
    counts = np.array([[float(x) for x in d[1:]] for d in data])
elif kind == "tsv":
    samples = header[1:]
    obs_ids = [d[0] for d in data]
    counts = np.array([[float(x) for x in d[1:]] for d in data])
elif kind == "genelab":      # id, domain..species, samples
    samples = header[8:]
    obs_ids = [d[0] for d in data]
    counts = np.array([[float(x) for x in d[8:]] for d in data])
    taxonomy = {d[0]: levels_from_ranks(d[1:8]) for d in data}
elif kind == "metaphlan":    # terminal clades only (see src/io/table_io.hpp)
    samples = header[2:]
    clades = [d[0] for d in data]
    keep = [d for d in data if not any(c.startswith(d[0] + "|") for c in clades)]
    obs_ids = [d[0].split("|")[-1] for d in keep]
    counts = np.array([[float(x) for x in d[2:]] for d in keep])
    taxonomy = {d[0].split("|")[-1]: ([] if d[0] == "UNKNOWN" else d[0].split("|")) for d in keep}
if tax_path != "-":
    t = rows(tax_path)
    ncol = len(t[1])
    for d in t[1:]:
        taxonomy[d[0]] = levels_from_ranks(d[1:ncol])

b = biom.load_table(converted)
errors = []
if list(b.ids(axis="observation")) != obs_ids:
    errors.append("observation ids differ")
if list(b.ids(axis="sample")) != samples:
    errors.append("sample ids differ")
m = b.matrix_data.toarray()
if m.shape != counts.shape or not np.array_equal(m, counts):
    errors.append("counts differ (max |diff| %s)" % (np.abs(m - counts).max() if m.shape == counts.shape else m.shape))
if taxonomy:
    md = b.metadata(axis="observation")
    hdf5 = converted.endswith(".biom")
    for i, o in enumerate(obs_ids):
        got = list((md[i] or {}).get("taxonomy") or []) if md is not None else []
        want = taxonomy[o]
        if hdf5:  # biom-format's HDF5 reader drops empty levels
            want = [x for x in want if x]
        if got != want:
            errors.append("taxonomy of %s: %r != %r" % (o, got, want))
            break
if errors:
    print("FAIL %s: %s" % (converted, "; ".join(errors)))
    sys.exit(1)
print("ok   %s: %d x %d, total %s" % (converted.split("/")[-1], m.shape[0], m.shape[1], repr(m.sum())))
PYEOF
            :
        else
            fail=1
        fi
    done
done <<<"$CASES"
exit $fail
