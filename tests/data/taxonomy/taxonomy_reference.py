"""Independent reference numbers for tests/unit/taxonomy/taxdump_test.cpp (plain Python 3)."""
def fnv1a63(key):
    h = 14695981039346656037
    for b in key.encode():
        h ^= b
        h = (h * 1099511628211) % 2**64
    return 2**63 | (h & (2**63 - 1))

def load(nodes, names):
    par, rank, name = {}, {}, {}
    for line in open(nodes):
        f = line.rstrip('\n').rstrip('|').rstrip('\t').split('\t|\t')
        par[int(f[0])] = int(f[1]); rank[int(f[0])] = f[2]
    for line in open(names):
        f = line.rstrip('\n').rstrip('|').rstrip('\t').split('\t|\t')
        if f[3] == 'scientific name': name[int(f[0])] = f[1]
    return par, rank, name

def path(par, t):
    p = [t]
    while par[p[-1]] != p[-1]: p.append(par[p[-1]])
    return p

PFX = {'superkingdom':'k__','kingdom':'k__','domain':'k__','phylum':'p__','class':'c__','order':'o__',
       'family':'f__','genus':'g__','species':'s__','strain':'t__'}
def lineage(par, rank, name, t):
    out, used = [], set()
    for u in reversed(path(par, t)):
        p = PFX.get(rank[u])
        if p and p not in used:
            used.add(p); out.append(p + name.get(u, ''))
    return ';'.join(out)

print('fnv domain=Bacteria', fnv1a63('domain=Bacteria'))
print('fnv domain=Bacteria;phylum=Firmicutes', fnv1a63('domain=Bacteria;phylum=Firmicutes'))
par, rank, name = load('kraken2_tiny_nodes.dmp', 'kraken2_tiny_names.dmp')
print('kraken2_tiny n', len(par), 'depth(1168547)', len(path(par, 1168547)) - 1,
      'lineage(1168547)', lineage(par, rank, name, 1168547), '| lineage(154784)', lineage(par, rank, name, 154784))
par, rank, name = load('woltka_nodes.dmp', 'woltka_names.dmp')
g2t = dict(l.split() for l in open('woltka_taxid.map'))
lins = dict(l.rstrip('\n').split('\t') for l in open('woltka_lineages.txt'))
same = sum(lineage(par, rank, name, int(g2t[g])) == lins[g] for g in lins)
print('woltka n', len(par), 'max depth', max(len(path(par, t)) - 1 for t in par),
      'lineages equal to lineages.txt', same, 'of', len(lins))
for g in list(lins)[:2]:
    print(g, lineage(par, rank, name, int(g2t[g])), '|', lins[g])
