"""LinDA's false-positive rate at small n, with orbiome's propagated se (the default) and with the
se of the paper and of MicrobiomeStat::linda (`--bias-se paper`, the bias treated as known; equal
to the package's numbers, tests/parity/linda). Two nulls, so that the simulator is not the cause:
  relabel:  N vs N mice drawn at random from the 20 RR-5 baseline mice at the final time point
            (real data, no model; genus level, as `orbiome power --rank genus`);
  simulate: `orbiome simulate --n N,N` with no effect, seeds 1..R (the model `power` uses).
A false positive = a replicate with any genus at BH q < 0.05.
Usage: /usr/bin/python3 linda_calibration.py ORBIOME relabel|simulate N R   (needs ../shared/data)"""
import os
import random
import subprocess
import sys
import tempfile

B, MODE, N, R = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
D = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data', 'rr5', '16S_fecal')
T = ['--table', f'{D}/otu_table.txt', '--taxonomy', f'{D}/tax_table.txt']
O = tempfile.mkdtemp()


def any_call(table, metadata, se):
    out = f'{O}/d.tsv'
    subprocess.run([B, 'diff', '--table', table, '--metadata', metadata, '--formula', 'grp' if MODE == 'relabel' else 'group',
                    '--compare', 'A,B' if MODE == 'relabel' else 'test,reference', '--method', 'linda', '--bias-se', se,
                    '--out', out], check=True, capture_output=True)
    rows = [line.rstrip('\n').split('\t') for line in open(out) if not line.startswith('#')]
    q = rows[0].index('q_value')
    return any(r[q] not in ('NA', '') and float(r[q]) < 0.05 for r in rows[1:])


hits = {'propagated': 0, 'paper': 0}
if MODE == 'relabel':
    meta = [line.rstrip('\n').split('\t') for line in open(f'{D}/meta_table.txt')][1:]
    ids = [m[0] for m in meta if m[3] == 'final' and m[4] == 'baseline']
    assert len(ids) == 20
    subprocess.run([B, 'table', 'collapse', *T, '--rank', 'genus', '--out', f'{O}/genus.tsv'], check=True, capture_output=True)
    rng = random.Random(2026)
    for _ in range(R):
        chosen = rng.sample(ids, 2 * N)
        group = {x: ('A' if k < N else 'B') for k, x in enumerate(chosen)}
        with open(f'{O}/md.tsv', 'w') as f:
            f.write('sample_id\tgrp\n')
            for m in meta: f.write(f'{m[0]}\t{group.get(m[0], "other")}\n')
        for se in hits: hits[se] += any_call(f'{O}/genus.tsv', f'{O}/md.tsv', se)
else:
    for seed in range(1, R + 1):
        subprocess.run([B, 'simulate', *T, '--metadata', f'{D}/meta_table.txt', '--rank', 'genus', '--group', 'Treatment',
                        '--reference', 'ISS_G', '--n', f'{N},{N}', '--seed', str(seed), '--out-dir', f'{O}/sim'],
                       check=True, capture_output=True)
        for se in hits: hits[se] += any_call(f'{O}/sim/table.tsv', f'{O}/sim/metadata.tsv', se)
print(f'{MODE}, n = {N} per group, {R} replicates: ' +
      ', '.join(f'{se} {k}/{R} = {k / R:.3f}' for se, k in hits.items()))
subprocess.run(['rm', '-rf', O])
