# Writes vegan's dune (sites as rows, species as columns) as a feature table (species as rows,
# sites as columns), the orientation orbiome reads.  Usage: python3 transpose_dune.py IN OUT
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
header, data = rows[0], rows[1:]
with open(sys.argv[2], "w") as out:
    out.write("feature_id\t" + "\t".join(r[0] for r in data) + "\n")
    for j in range(1, len(header)):
        out.write(header[j] + "\t" + "\t".join(r[j] for r in data) + "\n")
