import sys, gzip
from skbio import TreeNode
for path in sys.argv[1:]:
    op = gzip.open if path.endswith('.gz') else open
    with op(path, 'rt') as f:
        t = TreeNode.read(f, format='newick')
    nodes = list(t.postorder(include_self=True))
    tips = [n for n in nodes if n.is_tip()]
    total = sum(n.length for n in nodes if n.length is not None)
    print(path, 'nodes', len(nodes), 'tips', len(tips), 'total_length %.17g' % total,
          'max_depth', max(len(list(n.ancestors())) for n in tips) if len(tips) < 30000 else 'na',
          'first_tip', tips[0].name, 'root_name', t.name)
