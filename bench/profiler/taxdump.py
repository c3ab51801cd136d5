"""Writes a minimal NCBI taxdump (nodes.dmp, names.dmp) that both orbiome and kraken2-build read."""
import os


def write_taxdump(directory, nodes):
    """nodes: {taxid: (parent, rank, name)}, the root mapping to itself."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "nodes.dmp"), "w") as f:
        for tid in sorted(nodes):
            parent, rank, _ = nodes[tid]
            f.write(f"{tid}\t|\t{parent}\t|\t{rank}\t|\t\t|\t0\t|\t1\t|\t11\t|\t1\t|\t0\t|\t1\t|\t1\t|\t0\t|\t\t|\n")
    with open(os.path.join(directory, "names.dmp"), "w") as f:
        for tid in sorted(nodes):
            f.write(f"{tid}\t|\t{nodes[tid][2]}\t|\t\t|\tscientific name\t|\n")
