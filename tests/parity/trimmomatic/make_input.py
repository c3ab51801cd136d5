#!/usr/bin/python3
"""Writes input.fq: 1,500 reads with qualities chosen to exercise every branch of Trimmomatic's
SLIDINGWINDOW and TRAILING (reads shorter than the window, first window failing, dips, collapsing
tails, all-low and all-high reads, lengths 1..150). Fixed seed; sequences do not matter here."""
import random

rng = random.Random(14)
with open("input.fq", "w") as f:
    for i in range(1500):
        n = rng.choice([1, 2, 3, 4, 5, 10, 36, 75, 100, 150, 150, 150, rng.randint(1, 150)])
        kind = i % 5
        q, v = [], rng.randint(2, 41)
        for j in range(n):
            if kind == 0:
                v = rng.randint(0, 41)                        # white noise
            elif kind == 1:
                v = max(0, min(41, v + rng.randint(-6, 6)))  # random walk
            elif kind == 2:
                v = 38 if j < n * rng.random() else rng.randint(0, 25)  # collapsing tail
            elif kind == 3:
                v = rng.choice([2, 19, 20, 21, 40])          # around the thresholds
            else:
                v = rng.randint(25, 41) if rng.random() > 0.05 else rng.randint(0, 5)  # rare dips
            q.append(v)
        seq = "".join(rng.choice("ACGT") for _ in range(n))
        f.write(f"@t{i}\n{seq}\n+\n{''.join(chr(x + 33) for x in q)}\n")
