#!/usr/bin/env python3
"""Translates CDS FASTA (plain or gzip) to protein FASTA with the standard code, frame 1,
the final stop dropped (what `orbiome db build-protein --translate` stores), for DIAMOND."""
import sys, gzip, itertools
bases = 'TCAG'
aas = 'FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG'
code = {''.join(c): aas[i] for i, c in enumerate(itertools.product(bases, repeat=3))}
def records(path):
    op = gzip.open if path.endswith('.gz') else open
    name, seq = None, []
    for line in op(path, 'rt'):
        line = line.strip()
        if line.startswith('>'):
            if name: yield name, ''.join(seq)
            name, seq = line[1:].split()[0], []
        elif line:
            seq.append(line.upper())
    if name: yield name, ''.join(seq)
for path in sys.argv[1:]:
    for name, s in records(path):
        p = ''.join(code.get(s[i:i + 3], 'X') for i in range(0, len(s) - 2, 3))
        if p.endswith('*'): p = p[:-1]
        print('>' + name); print(p)
