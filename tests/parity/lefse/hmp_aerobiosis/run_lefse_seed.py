#!/usr/bin/python3
"""Runs lefse_run.py (Debian lefse 1.1.2) with Python random reseeded: run_lefse_seed.py SEED IN OUT."""
import sys, random
import lefse.lefse as L
seed = int(sys.argv[1])
orig = L.init
def init():
    orig(); L.lrand.seed(seed)
L.init = init
import lefse.lefse_run as R
R.init = init
sys.argv = ["lefse_run.py", sys.argv[2], sys.argv[3]]
R.lefse_run()
